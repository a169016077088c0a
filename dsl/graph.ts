// The stage graph: cycles, topological order, parallel levels and "is X upstream of Y".
// Near-linear in stages + needs (a 10,000-stage pipeline took 17 s and 2 GB when the order was
// found by rescanning and every stage's full upstream set was built); nothing recurses, so a
// long chain cannot overflow the stack.

/** stage id → the ids it needs, in declaration order. */
export type Needs = ReadonlyMap<string, readonly string[]>;

/** Every elementary cycle found by a DFS in declaration order, each as a path [a, b, …, a]. */
export function findCycles(needs: Needs): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const path: string[] = [];
  const onPath = new Map<string, number>();
  // Each frame: a stage and how many of its needs were looked at (the recursion, unrolled).
  const frames: Array<{ id: string; next: number }> = [];
  const enter = (id: string) => {
    state.set(id, 'visiting');
    onPath.set(id, path.length);
    path.push(id);
    frames.push({ id, next: 0 });
  };
  for (const root of needs.keys()) {
    if (state.has(root)) continue;
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const deps = needs.get(frame.id) ?? [];
      if (frame.next < deps.length) {
        const dep = deps[frame.next++];
        if (!needs.has(dep)) continue;
        if (state.get(dep) === 'visiting') cycles.push([...path.slice(onPath.get(dep)), dep]);
        else if (!state.has(dep)) enter(dep);
        continue;
      }
      frames.pop();
      path.pop();
      onPath.delete(frame.id);
      state.set(frame.id, 'done');
    }
  }
  return cycles;
}

/**
 * Kahn's algorithm; among ready stages the earliest declared goes first, so the order is stable
 * (the same order as always: plans and their hashes do not change). Assumes no cycles.
 */
export function topologicalOrder(needs: Needs): string[] {
  const ids = [...needs.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const waiting = new Int32Array(ids.length);
  const dependants: number[][] = ids.map(() => []);
  ids.forEach((id, i) => {
    for (const dep of new Set(needs.get(id))) {
      const j = index.get(dep);
      if (j === undefined) continue;
      waiting[i]++;
      dependants[j].push(i);
    }
  });
  const ready = new MinHeap();
  waiting.forEach((n, i) => n === 0 && ready.push(i));
  const order: string[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(ids[i]);
    for (const j of dependants[i]) if (--waiting[j] === 0) ready.push(j);
  }
  if (order.length < ids.length) throw new Error('topologicalOrder: graph has a cycle');
  return order;
}

/** Levels of stages that can run in parallel: level n needs only stages of levels < n. */
export function parallelLevels(needs: Needs): string[][] {
  const level = new Map<string, number>();
  for (const id of topologicalOrder(needs)) {
    let n = 0;
    for (const d of needs.get(id) ?? []) n = Math.max(n, (level.get(d) ?? -1) + 1);
    level.set(id, n);
  }
  const levels: string[][] = [];
  for (const [id, n] of level) (levels[n] ??= []).push(id);
  return levels;
}

/**
 * Answers "is `target` a transitive need of `stage`" without building every stage's upstream
 * set (quadratic for a chain). A search from the stage only follows needs placed at or after
 * the target in topological order (nothing earlier can lead to it), and what each search learns
 * about a target is kept for the next question about that target. Assumes no cycles.
 */
export class Upstream {
  private readonly position = new Map<string, number>();
  /** target → stage → whether the target is upstream of that stage. */
  private readonly known = new Map<string, Map<string, boolean>>();

  constructor(private readonly needs: Needs) {
    topologicalOrder(needs).forEach((id, i) => this.position.set(id, i));
  }

  has(stage: string, target: string): boolean {
    const to = this.position.get(target);
    const from = this.position.get(stage);
    if (to === undefined || from === undefined || to >= from) return false;
    let settled = this.known.get(target);
    if (!settled) this.known.set(target, (settled = new Map()));
    // Depth-first, unrolled: `frames` is the current path, each with its next need to try.
    const frames: Array<{ id: string; next: number }> = [{ id: stage, next: 0 }];
    const seen = new Set([stage]);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const known = settled.get(frame.id);
      const deps = this.needs.get(frame.id) ?? [];
      if (known === true || (known === undefined && deps.includes(target))) {
        for (const f of frames) settled.set(f.id, true);
        return true;
      }
      if (known === false || frame.next >= deps.length) {
        settled.set(frame.id, false);
        frames.pop();
        continue;
      }
      const dep = deps[frame.next++];
      const at = this.position.get(dep);
      if (at !== undefined && at > to && !seen.has(dep)) {
        seen.add(dep);
        frames.push({ id: dep, next: 0 });
      }
    }
    return false;
  }

  /** Every transitive need of `stage`: each need, then what it needs (for messages). */
  all(stage: string): string[] {
    const found = new Set<string>();
    const stack = [...(this.needs.get(stage) ?? [])].reverse();
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (!this.position.has(id) || found.has(id)) continue;
      found.add(id);
      const deps = this.needs.get(id) ?? [];
      for (let i = deps.length - 1; i >= 0; i--) stack.push(deps[i]);
    }
    return [...found];
  }
}

/** A binary min-heap of indices. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(x: number): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
