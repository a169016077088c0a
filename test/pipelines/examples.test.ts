// Every pipeline shipped in pipelines/ compiles against the real activity catalog.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../cli/compile-file';
import { formatError } from '../../dsl';
import { paths } from '../../stack/tools';

const dir = path.join(paths.root, 'pipelines');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('shipped pipelines', () => {
  it('has the demo and the nightly pipelines', () => {
    expect(files).toEqual(expect.arrayContaining(['demo.yaml', 'nightly-archive.yaml', 'nightly-backfill.yaml']));
  });
  for (const f of files) {
    it(`${f} compiles`, () => {
      const { plan, errors } = compileFile(path.join(dir, f));
      expect(errors.map(formatError)).toEqual([]);
      expect(plan!.stages.length).toBeGreaterThan(0);
    });
  }
});
