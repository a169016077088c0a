// The stage graph: cycles, topological order and upstream closures.

/** stage id → the ids it needs, in declaration order. */
export type Needs = ReadonlyMap<string, readonly string[]>;

/** Every elementary cycle found by a DFS in declaration order, each as a path [a, b, …, a]. */
export function findCycles(needs: Needs): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string) => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of needs.get(id) ?? []) {
      if (!needs.has(dep)) continue;
      if (state.get(dep) === 'visiting') cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of needs.keys()) if (!state.has(id)) visit(id);
  return cycles;
}

/** Kahn's algorithm; ties keep declaration order so the plan is stable. Assumes no cycles. */
export function topologicalOrder(needs: Needs): string[] {
  const placed = new Set<string>();
  const order: string[] = [];
  const ids = [...needs.keys()];
  while (order.length < ids.length) {
    const ready = ids.find((id) => !placed.has(id) && (needs.get(id) ?? []).every((d) => placed.has(d) || !needs.has(d)));
    if (ready === undefined) throw new Error('topologicalOrder: graph has a cycle');
    placed.add(ready);
    order.push(ready);
  }
  return order;
}

/** Levels of stages that can run in parallel: level n needs only stages of levels < n. */
export function parallelLevels(needs: Needs): string[][] {
  const level = new Map<string, number>();
  for (const id of topologicalOrder(needs)) {
    level.set(id, Math.max(-1, ...(needs.get(id) ?? []).map((d) => level.get(d) ?? -1)) + 1);
  }
  const levels: string[][] = [];
  for (const [id, n] of level) (levels[n] ??= []).push(id);
  return levels;
}

/** Transitive `needs` of every stage. Assumes no cycles. */
export function upstreamClosure(needs: Needs): Map<string, Set<string>> {
  const closure = new Map<string, Set<string>>();
  for (const id of topologicalOrder(needs)) {
    const up = new Set<string>();
    for (const dep of needs.get(id) ?? []) {
      up.add(dep);
      for (const u of closure.get(dep) ?? []) up.add(u);
    }
    closure.set(id, up);
  }
  return closure;
}
