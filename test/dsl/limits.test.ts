// The documented input limits (dsl/limits.ts, dsl/README.md "Limits"): a file or plan over them
// is refused with a located message, and the nesting estimate refuses nothing valid.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline, formatError } from '../../dsl';
import { LIMITS } from '../../dsl/limits';
import { nestingExceeds } from '../../dsl/nesting-scan';
import { compileFile } from '../../cli/compile-file';
import { catalog } from '../../activities/catalog';
import { testCatalog } from './catalog';

const compile = (text: string, file = 'big.yaml') => compilePipeline(text, { file, catalog: testCatalog });
const messages = (text: string) => compile(text).errors.map(formatError);

describe('input limits', () => {
  it('refuses a 20 MB pipeline before parsing it', () => {
    const text = 'name: big\nstages:\n  a: { uses: core.echo, with: { message: "' + 'x'.repeat(20 * 1024 * 1024) + '" } }\n';
    expect(messages(text)).toEqual(['big.yaml:1:1: pipeline is 20 MiB, over the 1 MiB limit for a pipeline file']);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const text = 'name: big\ndescription: "' + 'é'.repeat(600 * 1024) + '"\nstages:\n  a: { uses: core.echo, with: { message: a } }\n';
    expect(text.length).toBeLessThan(LIMITS.maxSourceBytes);
    expect(messages(text)).toEqual(['big.yaml:1:1: pipeline is 1.2 MiB, over the 1 MiB limit for a pipeline file']);
  });

  it('client validate refuses a file over the limit without reading it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trainflow-limits-'));
    const file = path.join(dir, 'big.yaml');
    writeFileSync(file, `name: big\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const { plan, errors } = compileFile(file);
    expect(plan).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual(['pipeline is 2 MiB, over the 1 MiB limit for a pipeline file']);
  });

  it('refuses a plan over the plan limit, at the stages key', () => {
    // Each stage's plan entry carries its merged retry and timeout: the plan outgrows its source.
    const n = 6000;
    const stages = Array.from({ length: n }, (_, i) => `  s${i}: { uses: core.echo, with: { message: m${i} } }`);
    const text = `name: wide\nstages:\n${stages.join('\n')}\n`;
    expect(text.length).toBeLessThan(LIMITS.maxSourceBytes);
    const errors = messages(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^big\.yaml:2:1: the compiled plan is 1\.\d MiB, over the 1 MiB limit for a plan \(it is the run's workflow input\): split the pipeline$/);
  });

  it('stops after 200 errors and says so', () => {
    const stages = Array.from({ length: 300 }, (_, i) => `  s${i}: { uses: core.nope }`);
    const errors = messages(`name: many\nstages:\n${stages.join('\n')}\n`);
    expect(errors).toHaveLength(201);
    expect(errors[200]).toMatch(/: stopped after 200 errors$/);
  });

  it('stops after 200 YAML syntax errors too (found by the fuzz test)', () => {
    const errors = messages(Array.from({ length: 300 }, (_, i) => `k${i}: a: b`).join('\n'));
    expect(errors).toHaveLength(201);
    expect(errors[0]).toMatch(/^big\.yaml:1:\d+: YAML syntax error: /);
    expect(errors[200]).toMatch(/: stopped after 200 errors$/);
  });

  it('does not suggest names for megabyte-long identifiers (edit distance is quadratic)', () => {
    const long = 'a'.repeat(300_000);
    const t0 = performance.now();
    // YAML allows keys over 1024 characters only as explicit (`? key`) keys.
    const errors = messages(`name: long\nstages:\n  ? ${long}\n  : { uses: core.echo, with: { message: a } }\n  b: { uses: core.echo, needs: [${long}b], with: { message: a } }\n`);
    expect(performance.now() - t0).toBeLessThan(5_000); // the bug this guards against takes minutes
    expect(errors.join('\n')).toContain("stage 'b' needs unknown stage");
  });
});

describe('the nesting estimate', () => {
  it('lets every shipped pipeline and fixture through at the compiler bound', () => {
    const dirs = [path.join(__dirname, '../../pipelines'), path.join(__dirname, 'fixtures'), path.join(__dirname, 'golden')];
    for (const dir of dirs) {
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml') && !/^nesting-/.test(n))) {
        expect(nestingExceeds(readFileSync(path.join(dir, f), 'utf8'), LIMITS.maxDepth * 2), f).toBeUndefined();
      }
    }
    for (const f of readdirSync(path.join(__dirname, '../../pipelines')).filter((n) => n.endsWith('.yaml'))) {
      const { errors } = compilePipeline(readFileSync(path.join(__dirname, '../../pipelines', f), 'utf8'), { file: f, catalog });
      expect(errors.map(formatError), f).toEqual([]);
    }
  });

  it('is close to the real depth, and ignores brackets inside scalars and comments', () => {
    const nested = (d: number) => 'a:\n' + Array.from({ length: d }, (_, i) => `${'  '.repeat(i + 1)}k:`).join('\n') + ' 1\n';
    expect(nestingExceeds(nested(60), 64)).toBeUndefined();
    expect(nestingExceeds(nested(70), 64)).toMatchObject({ line: 64 }); // one level high: the last 'k:' holds a scalar
    expect(nestingExceeds('a: ' + '['.repeat(65) + ']'.repeat(65), 64)).toMatchObject({ line: 1, col: 66 });
    expect(nestingExceeds('a: - ' + '- '.repeat(100) + 'x', 64)).toBeDefined();
    const scalars = [
      `a: "${'['.repeat(200)}"`,
      `b: '${'{'.repeat(200)} it''s'`,
      `c: plain ${'['.repeat(200)}`,
      `d: |\n  ${'['.repeat(200)}\n  more`,
      `e: 1 # ${'['.repeat(200)}`,
      `f: "multi\n  line ${'['.repeat(200)}"`,
    ].join('\n');
    expect(nestingExceeds(scalars, 64)).toBeUndefined();
    const { plan, errors } = compile(`name: s\nstages:\n  a: { uses: core.echo, with: { message: "${'['.repeat(200)}" } }\n`);
    expect(errors).toEqual([]);
    expect(plan).toBeDefined();
  });
});
