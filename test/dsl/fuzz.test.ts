// Property-based fuzzing of the whole compile path with fast-check: any input — random
// pipelines (names that are reserved or look-alikes, random expressions, durations, params,
// aliases), those pipelines' text cut and spliced, and arbitrary Unicode — gives a plan or
// located errors, never an exception, and takes under a second of CPU (the property under
// test: the compiler must not hang; CPU time, not wall time, so a loaded machine does not fail
// it). A plan that comes out is well formed: JSON, hashed, stages after their needs.
// Longer hunts: FUZZ_RUNS=5000 FUZZ_SEED=$RANDOM npx vitest run test/dsl/fuzz.test.ts
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compilePipeline, formatError, planHash, resolveParams, type Plan } from '../../dsl';
import { ExprError, parseExpression, renderTemplate } from '../../dsl/expr';
import { testCatalog, testRoots } from './catalog';
import { testScope } from './scope';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const CPU_BOUND_MS = 1000;
/** Each property stops (and fails) after this long, shrinking included, so a hang cannot stall the suite. */
const budget = (seed: number) => ({ numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 0) + seed, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true });

const names = fc.constantFrom('a', 'b', 'fetch', 'train', 'n', 'list', '__proto__', 'constructor', 'prototype', 'dаta', 'data', 'x-y', '1a', '');
const activities = fc.constantFrom(...Object.keys(testCatalog), 'core.ech', 'nope');

const atoms = fc.constantFrom(
  'params.n', 'params.list', 'params.missing', "params['n']", 'run.id', 'run.logicalDate', 'stages.a.outputs.message', 'stages.b.outputs',
  'stages.fetch.status', 'item', 'index', "'x'", '"y"', '1', '2.5', 'null', 'true', '[1, 2]', 'params.__proto__', 'nofunc()', '((', 'a..b',
);
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atoms,
    fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>=', '&&', '||', '='), tie('expr')).map(([l, op, r]) => `(${l} ${op} ${r})`),
    tie('expr').map((x) => `!${x}`),
    fc
      .tuple(fc.constantFrom('length', 'join', 'range', 'coalesce', 'dateAdd', 'format', 'contains', 'fromJSON', 'toJSON', 'nofn'), fc.array(tie('expr'), { maxLength: 3 }))
      .map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.tuple(tie('expr'), tie('expr')).map(([o, i]) => `${o}[${i}]`),
  ),
}));
const template = fc.oneof(expr.map((e) => `\${{ ${e} }}`), fc.string({ maxLength: 12 }), fc.tuple(fc.string({ maxLength: 6 }), expr).map(([s, e]) => `${s} \${{ ${e} }}`));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 10 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    template,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(names, tie('value'), { maxKeys: 3 }),
  ),
}));
const duration = fc.oneof(fc.constantFrom('1s', '30s', '1h30m', '500ms', '1.5h', '30s1h', '0s', '-1s', '10', '2d', ''), fc.string({ maxLength: 6 }), fc.integer());
const some = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const stage = fc.record(
  {
    uses: activities,
    needs: fc.oneof(names, fc.array(names, { maxLength: 3 })),
    with: fc.dictionary(fc.constantFrom('message', 'ms', 'failTimes', 'errorType', 'dataset', 'models', 'file', 'x'), value, { maxKeys: 3 }),
    forEach: fc.oneof(template, fc.array(value, { maxLength: 3 })),
    concurrency: fc.integer({ min: -1, max: 4 }),
    when: fc.oneof(expr, fc.boolean(), template),
    retry: fc.record({ maxAttempts: fc.integer({ min: -1, max: 5 }), initialInterval: duration, maxInterval: duration, nonRetryable: fc.array(fc.string({ maxLength: 5 })) }, { requiredKeys: [] }),
    timeout: fc.record({ startToClose: duration, scheduleToClose: duration, heartbeat: duration }, { requiredKeys: [] }),
    description: fc.string({ maxLength: 10 }),
  },
  { requiredKeys: ['uses'] },
);
const paramTypes = fc.constantFrom('string', 'number', 'integer', 'boolean', 'date', 'duration', 'array', 'object', 'strng');
const param = fc.oneof(
  value,
  fc.record({ type: paramTypes, default: fc.oneof(value, fc.constantFrom('2024-01-01', '2024-02-30', '1h', '30s1h', '../x', '/etc/passwd')), items: paramTypes, description: fc.string({ maxLength: 5 }), typ: fc.constant('integer') }, { requiredKeys: [] }),
);
const pipeline = fc.record(
  {
    name: fc.oneof(fc.constantFrom('p', 'my-pipe', 'lооk'), fc.string({ maxLength: 8 })),
    description: fc.string({ maxLength: 10 }),
    params: fc.dictionary(names, param, { maxKeys: 4 }),
    defaults: fc.record({ retry: fc.record({ maxAttempts: fc.integer({ min: 0, max: 4 }), initialInterval: duration }, { requiredKeys: [] }), timeout: fc.record({ startToClose: duration, heartbeat: duration }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    schedule: fc.record(
      { cron: fc.constantFrom('@daily', '15 0 * * *', '61 * * * *', 'x', '*/5 * * * MON-FRI'), timezone: fc.constantFrom('UTC', 'Europe/Paris', 'Mars/Base'), overlap: fc.constantFrom('skip', 'bufferOne', 'nope'), catchupWindow: duration, params: fc.dictionary(names, value, { maxKeys: 2 }) },
      { requiredKeys: [] },
    ),
    stages: fc.dictionary(names, stage, { maxKeys: 6 }),
    extra: some(value),
  },
  { requiredKeys: ['stages'] },
);

/** YAML text of a random pipeline; sometimes with an anchor and aliases to it. */
const pipelineText = fc.tuple(pipeline, fc.boolean()).map(([p, aliased]) => {
  const text = stringify(p, { aliasDuplicateObjects: aliased, lineWidth: 0 });
  return aliased ? text.replace(/^(  retry:)/m, '$1 &r').replace(/^(    retry:)(?! &)/gm, '$1 *r #') : text;
});

/** Pipelines that are mostly right, so that plans come out and their invariants get checked. */
const goodPipeline = fc
  .array(
    fc.record({
      needsBack: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      message: fc.constantFrom('hi', '${{ params.n }}', '${{ params.n + 1 }} of ${{ run.id }}', '${{ join(params.list, "-") }}', '${{ stages.s0.outputs.message }}'),
      fanOut: fc.boolean(),
      when: fc.option(fc.constantFrom('${{ params.n > 1 }}', 'params.n == 3', 'true'), { nil: undefined }),
      retry: fc.option(fc.record({ maxAttempts: fc.integer({ min: 1, max: 5 }), initialInterval: fc.constantFrom('1s', '500ms'), maxInterval: fc.constantFrom('1m', '2m') }), { nil: undefined }),
      timeout: fc.option(fc.record({ startToClose: fc.constantFrom('1m', '1h'), heartbeat: fc.constantFrom('30s', '10s') }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((stages) => {
    const out: Record<string, unknown> = {};
    stages.forEach((st, i) => {
      const needs = [...new Set(st.needsBack.map((k) => i - k).filter((j) => j >= 0))].map((j) => `s${j}`);
      out[`s${i}`] = {
        uses: 'core.echo',
        ...(needs.length ? { needs } : {}),
        ...(st.fanOut ? { forEach: '${{ params.list }}', concurrency: 2 } : {}),
        with: { message: st.message },
        ...(st.when ? { when: st.when } : {}),
        ...(st.retry ? { retry: st.retry } : {}),
        ...(st.timeout ? { timeout: st.timeout } : {}),
      };
    });
    return stringify({ name: 'good', params: { n: 3, list: ['a', 'b'] }, stages: out }, { lineWidth: 0 });
  });

/** The shapes of hostile input (issue 10), at random sizes: deep nesting, alias bombs, aliases
 *  inside their own anchor, long and deep expressions, huge names, many errors. */
const hostile = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('[', '{a: ', '- ', '[{b: ')).map(([depth, open]) => {
    const body = open === '- ' ? `\n        ${open.repeat(depth)}1` : `${open.repeat(depth)}1${open === '[' ? ']'.repeat(depth) : open === '{a: ' ? '}'.repeat(depth) : '}]'.repeat(depth)}`;
    return `name: deep\nstages:\n  a:\n    uses: core.echo\n    with:\n      message: hi\n      value: ${body}\n`;
  }),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 2, max: 12 })).map(([levels, width]) => {
    let text = `name: lol\nstages:\n  a:\n    uses: core.echo\n    with:\n      message: hi\n      value:\n        l0: &l0 [${Array(width).fill('lol').join(', ')}]\n`;
    for (let i = 1; i <= levels; i++) text += `        l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]\n`;
    return text;
  }),
  fc.constantFrom('a: &x [*x]\n', 'name: r\nstages:\n  a: &s { uses: core.echo, with: { message: hi, again: *s } }\n', 'a: &x { b: &y [*x, *y] }\n'),
  fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('+', '(', '!', '-', '[', 'f(')).map(([n, op]) => {
    const e = op === '+' ? Array(n).fill('1').join('+') : op === '(' ? `${'('.repeat(n)}1${')'.repeat(n)}` : op === '[' ? `${'['.repeat(n)}${']'.repeat(n)}` : op === 'f(' ? `${'length('.repeat(n)}1${')'.repeat(n)}` : `${op.repeat(n)}1`;
    return `name: e\nstages:\n  a: { uses: core.echo, with: { message: "\${{ ${e} }}" } }\n`;
  }),
  fc.integer({ min: 1, max: 200_000 }).map((n) => `name: long\nstages:\n  ? ${'s'.repeat(n)}\n  : { uses: core.echo, with: { message: a } }\n  b: { uses: core.echo, needs: [${'s'.repeat(n)}x] }\n`),
  fc.integer({ min: 1, max: 2000 }).map((n) => `name: many\nstages:\n${Array.from({ length: n }, (_, i) => `  s${i}: { uses: core.nope, needs: [t${i}], with: { x: "\${{ params.p${i} }}" } }`).join('\n')}\n`),
);

const SNIPPETS = ['${{', '}}', ':', '- ', '{', '}', '[', ']', "'", '"', '\n  ', '\n', '&a ', '*a', '*r', '!!binary ', '? ', '|', '>', '#', '\t', '---\n', '..', '\u0430', '__proto__', ' '.repeat(9)];
/** A pipeline's text with random cuts and insertions. */
const mutatedText = fc.tuple(pipelineText, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom(...SNIPPETS), fc.boolean()), { minLength: 1, maxLength: 5 })).map(([text, edits]) => {
  let out = text;
  for (const [at, cut, snippet, insert] of edits) {
    const i = out.length ? at % out.length : 0;
    out = out.slice(0, i) + (insert ? snippet : '') + out.slice(i + cut);
  }
  return out;
});

function cpuMs<T>(fn: () => T): { result: T; ms: number } {
  const start = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(start);
  return { result, ms: (used.user + used.system) / 1000 };
}

let plans = 0;

/** The property: a plan or located errors, nothing thrown, within the CPU bound. */
function compilesCleanly(text: string): void {
  const { result, ms } = cpuMs(() => compilePipeline(text, { file: 'fuzz.yaml', catalog: testCatalog, roots: testRoots }));
  expect(ms, 'CPU time of one compile').toBeLessThan(CPU_BOUND_MS);
  const lines = text.split('\n').length;
  if (result.plan) {
    plans++;
    expect(result.errors).toEqual([]);
    checkPlan(result.plan);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    const shown = formatError(e);
    expect(e.line, shown).toBeGreaterThanOrEqual(1);
    expect(e.line, shown).toBeLessThanOrEqual(lines + 1);
    expect(e.col, shown).toBeGreaterThanOrEqual(1);
    expect(e.message.trim(), shown).not.toBe('');
    expect(e.message, shown).not.toMatch(/\bundefined\b|\[object Object\]|Maximum call stack/);
  }
}

function checkPlan(plan: Plan): void {
  const json = JSON.parse(JSON.stringify(plan)) as Plan;
  expect(json).toEqual(plan);
  expect(planHash(json)).toBe(plan.hash);
  const placed = new Set<string>();
  for (const s of plan.stages) {
    for (const n of s.needs) expect(placed.has(n), `${s.id} after ${n}`).toBe(true);
    placed.add(s.id);
    expect(['__proto__', 'constructor', 'prototype']).not.toContain(s.id);
  }
  // Its params resolve with no values given unless one is required.
  const { errors } = resolveParams(plan, {});
  for (const e of errors) expect(e).toMatch(/is required/);
}

describe('fuzzing the compile path (fast-check)', () => {
  it('random pipelines: a plan or located errors', () => {
    fc.assert(fc.property(pipelineText, compilesCleanly), budget(4242));
  });

  it('mostly right pipelines: plans come out, well formed', () => {
    plans = 0;
    fc.assert(fc.property(goodPipeline, compilesCleanly), budget(4241));
    // Not vacuous: most of these compile (the others fail on a stage output read outside its needs).
    expect(plans).toBeGreaterThan(RUNS / 4);
  });

  it('random pipelines cut and spliced: a plan or located errors', () => {
    fc.assert(fc.property(mutatedText, compilesCleanly), budget(4243));
  });

  it('hostile input at random sizes: located errors, quickly', () => {
    fc.assert(fc.property(hostile, compilesCleanly), { ...budget(4240), numRuns: Math.max(30, RUNS / 5) });
  });

  it('arbitrary Unicode text: located errors', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), compilesCleanly), budget(4244));
  });

  it('expressions: parse errors and evaluation errors are ExprErrors, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(expr, fc.string({ maxLength: 40 })), (source) => {
        let parsed;
        try {
          parsed = parseExpression(source);
        } catch (e) {
          expect(e).toBeInstanceOf(ExprError);
          return;
        }
        try {
          renderTemplate({ kind: 'expr', expr: parsed, source }, testScope({ item: { a: [1] }, index: 0 }));
        } catch (e) {
          expect(e).toBeInstanceOf(ExprError);
        }
      }),
      budget(4245),
    );
  });

  it('run params: any values resolve to values or messages', () => {
    const plan = compilePipeline(
      'name: p\nparams:\n  s: x\n  n: 1\n  i: { type: integer, default: 2 }\n  b: true\n  d: { type: date }\n  w: { type: duration, default: 1h }\n  l: { type: array, items: integer, default: [1] }\n  o: { type: object, default: {} }\nstages:\n  a: { uses: core.echo, with: { message: a } }\n',
      { file: 'p.yaml', catalog: testCatalog },
    ).plan!;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('s', 'n', 'i', 'b', 'd', 'w', 'l', 'o', 'zz', '__proto__'), fc.oneof(fc.string({ maxLength: 12 }), fc.jsonValue())), (given) => {
        const { values, errors } = resolveParams(plan, given);
        for (const e of errors) expect(e).toMatch(/^(unknown param|param '\w+' )/);
        if (errors.length === 0) expect(Object.keys(values).sort()).toEqual(Object.keys(plan.params).sort());
      }),
      budget(4246),
    );
  });
});
