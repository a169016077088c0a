// Golden files: every test/dsl/golden/*.yaml is a bad pipeline whose sibling .expected holds the
// exact formatted errors. UPDATE_GOLDEN=1 rewrites the .expected files (then review them by eye).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline, formatError } from '../../dsl';
import { testCatalog, testRoots } from './catalog';

const dir = join(__dirname, 'golden');
const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('golden bad pipelines', () => {
  it('has enough cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  for (const file of cases) {
    it(file, () => {
      const { plan, errors } = compilePipeline(readFileSync(join(dir, file), 'utf8'), { file, catalog: testCatalog, roots: testRoots });
      const actual = errors.map(formatError).join('\n') + '\n';
      const expectedPath = join(dir, file.replace(/\.yaml$/, '.expected'));
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, actual);
      expect(existsSync(expectedPath), `${expectedPath} is missing (run with UPDATE_GOLDEN=1)`).toBe(true);
      expect(plan).toBeUndefined();
      expect(errors.length).toBeGreaterThan(0);
      expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
    });
  }
});
