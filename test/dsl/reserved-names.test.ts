// Names from YAML, from `--param` and from a plan handed to the interpreter never become keys of
// plain objects: '__proto__' or 'constructor' as a key is a key, not the object's prototype.
// (The compiler refuses them outright: see golden/reserved-names.yaml.)
import { describe, expect, it } from 'vitest';
import { resolveParams, type Plan } from '../../dsl';
import { renderTemplate } from '../../dsl/expr';
import type { Template } from '../../dsl/plan';
import { PARAM_FLAG, parseArgs } from '../../cli/args';
import { allFinished, initialRunState, readyStages } from '../../workflows/run-state';
import { INTERVAL_MS } from '../../activities/binance/kline';
import { testScope } from './scope';

/** What a plan looks like after JSON (Temporal's payloads): '__proto__' is an own key there. */
const fromJson = <T>(json: string): T => JSON.parse(json) as T;

describe('reserved names as keys', () => {
  it('the run state of a plan with a __proto__ stage still has that stage to run', () => {
    const plan = fromJson<Plan>(
      JSON.stringify({ version: 1, name: 'p', hash: 'h', params: {}, stages: [] }).replace(
        '"stages":[]',
        '"stages":[{"id":"__proto__","uses":"core.echo","needs":[]},{"id":"constructor","uses":"core.echo","needs":["__proto__"]}]',
      ),
    );
    const state = initialRunState(plan, '2024-01-01');
    expect(Object.keys(state.stages)).toEqual(['__proto__', 'constructor']);
    expect(allFinished(state)).toBe(false);
    expect(readyStages(plan, state, new Set()).map((s) => s.id)).toEqual(['__proto__']);
  });

  it('renders a with key named __proto__ as an ordinary key', () => {
    const t = fromJson<Template>('{"kind":"object","entries":{"__proto__":{"kind":"expr","source":"1","expr":{"type":"literal","value":1,"start":0,"end":1}},"a":{"kind":"literal","value":2}}}');
    const out = renderTemplate(t, testScope()) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(out)).not.toBe(1);
  });

  it('`--param __proto__=1` reaches the unknown-param check instead of vanishing', () => {
    const args = parseArgs(['x.yaml', '--param', '__proto__=1', '--param', 'constructor=2'], [PARAM_FLAG], 'run');
    expect(Object.keys(args.params)).toEqual(['__proto__', 'constructor']);
    const plan = { name: 'p', params: {} } as unknown as Plan;
    expect(resolveParams(plan, args.params).errors).toEqual([
      "unknown param '__proto__' (pipeline 'p' has no params)",
      "unknown param 'constructor' (pipeline 'p' has no params)",
    ]);
  });

  it("'constructor' is not a kline interval", () => {
    expect('constructor' in INTERVAL_MS).toBe(false);
    expect(INTERVAL_MS['toString']).toBeUndefined();
  });
});
