import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, compilePipeline, formatError, planHash, sha256Hex, type Plan } from '../../dsl';
import { renderTemplate } from '../../dsl/expr';
import { testCatalog } from './catalog';
import { testScope } from './scope';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

function compileOk(text: string, file = 'test.yaml'): Plan {
  const { plan, errors } = compilePipeline(text, { file, catalog: testCatalog });
  expect(errors.map(formatError)).toEqual([]);
  return plan!;
}

describe('compiling a good pipeline', () => {
  const plan = compileOk(fixture('nightly.yaml'), 'nightly.yaml');
  const stage = (id: string) => plan.stages.find((s) => s.id === id)!;

  it('orders stages topologically, keeping declaration order among ready stages', () => {
    expect(plan.stages.map((s) => s.id)).toEqual(['archive', 'backfill', 'train', 'evaluate', 'publish']);
    expect(stage('train').needs).toEqual(['archive', 'backfill']);
    expect(stage('evaluate').needs).toEqual(['train']);
  });

  it('compiles params, with shorthand types inferred', () => {
    expect(plan.params).toEqual({
      symbols: { type: 'array', items: 'string', required: false, default: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] },
      lookbackDays: { type: 'integer', required: false, default: 90 },
      start: { type: 'date', required: false, default: '2024-01-01', description: 'First day.' },
      threshold: { type: 'number', required: false, default: 0.5 },
    });
  });

  it('compiles the schedule', () => {
    expect(plan.schedule).toEqual({
      cron: '15 0 * * MON-FRI',
      timezone: 'Europe/Paris',
      overlap: 'bufferOne',
      catchupWindowMs: 3 * 86_400_000,
      params: { lookbackDays: 30 },
    });
  });

  it('merges retry and timeout field by field over defaults, in ms', () => {
    expect(stage('archive').retry).toEqual({
      maximumAttempts: 5,
      initialIntervalMs: 2_000,
      backoffCoefficient: 2,
      maximumIntervalMs: 120_000,
      nonRetryableErrorTypes: [],
    });
    expect(stage('backfill').retry).toEqual({
      maximumAttempts: 20,
      initialIntervalMs: 2_000,
      backoffCoefficient: 2,
      maximumIntervalMs: 120_000,
      nonRetryableErrorTypes: ['InvalidInput'],
    });
    expect(stage('archive').timeout).toEqual({ startToCloseMs: 1_800_000, heartbeatMs: 30_000 });
    expect(stage('backfill').timeout).toEqual({ startToCloseMs: 5_400_000, heartbeatMs: 30_000 });
  });

  it('uses the built-in defaults when nothing is configured', () => {
    const p = compileOk('name: tiny\nstages:\n  a: { uses: core.echo, with: { message: hi } }\n');
    expect(p.stages[0].retry).toEqual({ maximumAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60000, nonRetryableErrorTypes: [] });
    expect(p.stages[0].timeout).toEqual({ startToCloseMs: 600_000 });
    expect(p.stages[0].with).toEqual({ kind: 'literal', value: { message: 'hi' } });
    expect(p.schedule).toBeUndefined();
  });

  it('compiles with/forEach/when into templates that render against a run scope', () => {
    expect(stage('backfill').forEach).toMatchObject({ kind: 'expr', source: 'params.symbols' });
    expect(stage('backfill').concurrency).toBe(2);
    expect(stage('train').concurrency).toBeUndefined();
    expect(stage('publish').when).toMatchObject({ kind: 'expr' });
    expect(stage('train').with.kind).toBe('object');
    expect(stage('archive').description).toBe('Archive the day.');
    const scope = testScope({
      params: { symbols: ['A', 'B'], threshold: 0.5 },
      stages: {
        archive: { outputs: { message: '2024-03-09' }, status: 'completed' },
        evaluate: { outputs: { message: 'ok' }, status: 'completed' },
      },
    });
    expect(renderTemplate(stage('archive').with, scope)).toEqual({ message: '2024-03-09' });
    expect(renderTemplate(stage('backfill').forEach!, scope)).toEqual(['A', 'B']);
    expect(renderTemplate(stage('backfill').with, { ...scope, item: 'B', index: 1 })).toEqual({ ms: 100 });
    expect(renderTemplate(stage('train').with, scope)).toEqual({ dataset: '2024-03-09', models: ['gbdt', 'mlp'], gbdt: { max_depth: 6, eta: 0.1 } });
    expect(renderTemplate(stage('publish').when!, scope)).toBe(true);
    expect(renderTemplate(stage('publish').with, scope)).toEqual({ message: 'publish 2024-03-10' });
  });

  it('accepts a bare expression in when, and boolean literals', () => {
    const p = compileOk(
      'name: w\nparams: { on: true }\nstages:\n  a: { uses: core.echo, when: params.on, with: { message: x } }\n  b: { uses: core.echo, when: false, with: { message: x } }\n',
    );
    expect(p.stages[0].when).toMatchObject({ kind: 'expr', source: 'params.on' });
    expect(p.stages[1].when).toEqual({ kind: 'literal', value: false });
  });

  it('records the source file but keeps it out of the hash', () => {
    expect(plan.source).toEqual({ file: 'nightly.yaml' });
    expect(compileOk(fixture('nightly.yaml'), 'elsewhere.yaml').hash).toBe(plan.hash);
  });
});

describe('plan hash', () => {
  const plan = compileOk(fixture('nightly.yaml'));

  it('is the sha256 of the canonical JSON without hash and source', () => {
    const { hash, source, ...rest } = plan;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash('sha256').update(canonicalJson(rest)).digest('hex'));
    expect(planHash(plan)).toBe(hash);
    expect(source).toBeDefined();
  });

  it('is stable across key order, flow/block style and whitespace', () => {
    expect(compileOk(fixture('nightly-reordered.yaml')).hash).toBe(plan.hash);
  });

  it('changes when a stage changes', () => {
    const changed = [
      fixture('nightly.yaml').replace('maxAttempts: 20', 'maxAttempts: 21'),
      fixture('nightly.yaml').replace('needs: train', 'needs: [train, archive]'),
      fixture('nightly.yaml').replace("index * 100", 'index * 101'),
      fixture('nightly.yaml').replace('max_depth: 6', 'max_depth: 7'),
      fixture('nightly.yaml').replace('concurrency: 2', 'concurrency: 3'),
    ];
    const hashes = changed.map((text) => compileOk(text).hash);
    expect(new Set([plan.hash, ...hashes]).size).toBe(6);
  });

  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}');
  });

  it.each(['', 'abc', 'a'.repeat(55), 'b'.repeat(56), 'c'.repeat(64), 'd'.repeat(1000), 'héllo wörld ✓ 😀'])('sha256 matches node:crypto for %#', (text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

describe('errors', () => {
  it('are all reported, sorted by position, with 1-based ranges', () => {
    const { plan, errors } = compilePipeline('name: x\nstages:\n  a: { uses: core.ech }\n  b: { uses: core.echo, neds: a }\n', {
      file: 'p.yaml',
      catalog: testCatalog,
    });
    expect(plan).toBeUndefined();
    expect(errors).toEqual([
      { file: 'p.yaml', line: 3, col: 14, endLine: 3, endCol: 22, code: 'unknown-activity', message: "unknown activity type 'core.ech'. Did you mean 'core.echo'?" },
      { file: 'p.yaml', line: 4, col: 14, endLine: 4, endCol: 23, code: 'input-schema', message: "missing required input 'message' for core.echo (stage 'b' has no 'with')" },
      { file: 'p.yaml', line: 4, col: 25, endLine: 4, endCol: 29, code: 'unknown-key', message: "unknown key 'neds' in stage 'b'. Did you mean 'needs'?" },
    ]);
    expect(formatError(errors[0])).toBe("p.yaml:3:14: unknown activity type 'core.ech'. Did you mean 'core.echo'?");
  });
});

describe('stage cache', () => {
  it('defaults.cache covers the cacheable stages only; a stage can opt out', () => {
    const plan = compileOk(
      'name: p\ndefaults: { cache: true }\nstages:\n' +
        '  a: { uses: core.echo, with: { message: x } }\n' +
        '  b: { uses: core.echo, needs: a, cache: false, with: { message: y } }\n' +
        '  publish: { uses: models.publish, needs: b, with: { name: m } }\n',
    );
    expect(plan.stages.map((s) => [s.id, s.cache ?? false])).toEqual([['a', true], ['b', false], ['publish', false]]);
  });
});
