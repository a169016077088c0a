// Golden Plans: the compiled Plan of every shipped pipeline (real catalog) and of the DSL test
// fixtures (test catalog), byte for byte. The Plan is a wire contract: it is the input recorded
// in every run's history, and its hash names it. An intended change to the compiler or to a
// pipeline rewrites these files with `npm run golden:update` (review the diff); an unintended
// one fails here.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline, formatError, planHash, type Plan } from '../../dsl';
import type { ActivitySpec } from '../../dsl/activity-spec';
import { catalog } from '../../activities/catalog';
import { testCatalog, testRoots } from './catalog';

const root = join(__dirname, '..', '..');
const expectedDir = join(__dirname, 'golden-plans');

const sources: Array<{ file: string; catalog: Record<string, ActivitySpec> }> = [
  ...readdirSync(join(root, 'pipelines'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ file: `pipelines/${f}`, catalog })),
  ...readdirSync(join(__dirname, 'fixtures'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ file: `test/dsl/fixtures/${f}`, catalog: testCatalog })),
].sort((a, b) => a.file.localeCompare(b.file));

const expectedFile = (file: string) => join(expectedDir, `${file.replace(/\.yaml$/, '').replace(/\//g, '--')}.plan.json`);
const updating = process.env.UPDATE_GOLDEN === '1';
const compileToJson = (file: string, text: string, cat: Record<string, ActivitySpec>) => {
  const { plan, errors } = compilePipeline(text, { file, catalog: cat, roots: testRoots });
  expect(errors.map(formatError)).toEqual([]);
  return `${JSON.stringify(plan, null, 2)}\n`;
};

describe('golden plans', () => {
  it('covers the shipped pipelines and the fixtures', () => {
    expect(sources.filter((s) => s.file.startsWith('pipelines/')).length).toBeGreaterThanOrEqual(3);
    expect(sources.map((s) => s.file)).toContain('test/dsl/fixtures/features.yaml');
  });

  for (const { file, catalog: cat } of sources) {
    it(file, () => {
      const actual = compileToJson(file, readFileSync(join(root, file), 'utf8'), cat);
      const expected = expectedFile(file);
      if (updating) writeFileSync(expected, actual);
      expect(existsSync(expected), `${expected} is missing (npm run golden:update)`).toBe(true);
      const golden = readFileSync(expected, 'utf8');
      expect(actual).toBe(golden);
      // The recorded hash is the hash of the recorded plan: canonical JSON and sha256 unchanged.
      const recorded = JSON.parse(golden) as Plan;
      expect(planHash(recorded)).toBe(recorded.hash);
    });
  }

  it('has no golden file without a pipeline', () => {
    const wanted = new Set(sources.map((s) => expectedFile(s.file)));
    for (const f of readdirSync(expectedDir)) {
      if (updating && !wanted.has(join(expectedDir, f))) rmSync(join(expectedDir, f));
      else expect(wanted.has(join(expectedDir, f)), `${f} has no pipeline (npm run golden:update removes it)`).toBe(true);
    }
  });

  // The comparison is not vacuous: a one-token edit of the fixture gives another plan and hash.
  it('tells a changed pipeline from its golden plan', () => {
    const file = 'test/dsl/fixtures/features.yaml';
    const text = readFileSync(join(root, file), 'utf8');
    expect(text).toContain('concurrency: 2');
    const changed = compileToJson(file, text.replace('concurrency: 2', 'concurrency: 3'), testCatalog);
    const golden = readFileSync(expectedFile(file), 'utf8');
    expect(changed).not.toBe(golden);
    expect((JSON.parse(changed) as Plan).hash).not.toBe((JSON.parse(golden) as Plan).hash);
  });
});
