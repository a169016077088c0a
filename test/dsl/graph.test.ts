// The graph algorithms against the plain quadratic definitions they replaced, on random DAGs:
// the topological order (and so every plan and its hash) must not change.
import { describe, expect, it } from 'vitest';
import { findCycles, parallelLevels, topologicalOrder, Upstream, type Needs } from '../../dsl/graph';
import { mulberry32 } from '../../lib/mulberry32';

/** The old definition: repeatedly place the first declared stage whose needs are placed. */
function naiveOrder(needs: Needs): string[] {
  const placed = new Set<string>();
  const order: string[] = [];
  const ids = [...needs.keys()];
  while (order.length < ids.length) {
    const ready = ids.find((id) => !placed.has(id) && (needs.get(id) ?? []).every((d) => placed.has(d) || !needs.has(d)))!;
    placed.add(ready);
    order.push(ready);
  }
  return order;
}

function naiveClosure(needs: Needs, id: string): Set<string> {
  const up = new Set<string>();
  for (const dep of needs.get(id) ?? []) {
    if (!needs.has(dep)) continue;
    up.add(dep);
    for (const u of naiveClosure(needs, dep)) up.add(u);
  }
  return up;
}

/** A random DAG declared in shuffled order, with some needs of unknown stages. */
function randomDag(random: () => number, n: number): Map<string, string[]> {
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const needs = new Map<string, string[]>();
  const declared = [...ids].sort(() => random() - 0.5);
  for (const id of declared) {
    const i = Number(id.slice(1));
    const deps: string[] = [];
    for (let k = 0; k < Math.floor(random() * 4); k++) if (i > 0) deps.push(`s${Math.floor(random() * i)}`);
    if (random() < 0.05) deps.push('missing');
    needs.set(id, [...new Set(deps)]);
  }
  return needs;
}

describe('graph', () => {
  it('orders, levels and answers upstream questions exactly as the quadratic definitions', () => {
    const random = mulberry32(7);
    for (let round = 0; round < 60; round++) {
      const needs = randomDag(random, 1 + Math.floor(random() * 40));
      expect(findCycles(needs)).toEqual([]);
      expect(topologicalOrder(needs)).toEqual(naiveOrder(needs));
      const upstream = new Upstream(needs);
      const ids = [...needs.keys()];
      for (const a of ids) {
        const closure = naiveClosure(needs, a);
        expect(new Set(upstream.all(a))).toEqual(closure);
        for (const b of ids) expect(upstream.has(a, b), `${b} upstream of ${a}`).toBe(closure.has(b));
      }
      for (const level of parallelLevels(needs)) for (const id of level) for (const d of needs.get(id)!) if (needs.has(d)) expect(level).not.toContain(d);
    }
  });

  it('finds every cycle, in declaration order', () => {
    const needs = new Map([
      ['a', ['c']],
      ['b', ['a']],
      ['c', ['b', 'd']],
      ['d', ['d2']],
      ['d2', ['d']],
    ]);
    expect(findCycles(needs)).toEqual([
      ['a', 'c', 'b', 'a'],
      ['d', 'd2', 'd'],
    ]);
  });

  it('handles a 100,000-stage chain without recursion', () => {
    const needs = new Map(Array.from({ length: 100_000 }, (_, i) => [`s${i}`, i ? [`s${i - 1}`] : []] as [string, string[]]));
    expect(findCycles(needs)).toEqual([]);
    expect(topologicalOrder(needs)[99_999]).toBe('s99999');
    const upstream = new Upstream(needs);
    expect(upstream.has('s99999', 's0')).toBe(true);
    expect(upstream.has('s0', 's99999')).toBe(false);
  });
});
