// The `stages` view expressions read (pure): in step with the run state, and snapshots that stay put.
import { describe, expect, it } from 'vitest';
import { StagesScope } from '../../workflows/stages-scope';
import { initialRunState } from '../../workflows/run-state';
import type { Plan } from '../../dsl/plan';

const plan = { name: 'p', hash: 'h', stages: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] } as unknown as Plan;

describe('StagesScope', () => {
  it('shows each stage as the run state has it, in plan order, as the old per-launch copy did', () => {
    const state = initialRunState(plan, '2024-01-01');
    const scope = new StagesScope(plan, state);
    const now = () => {
      scope.sync();
      return { ...scope.current() };
    };
    const fresh = () => Object.fromEntries(Object.entries(state.stages).map(([id, s]) => [id, { outputs: s.outputs ?? null, status: s.status }]));
    expect(now()).toEqual(fresh());
    state.stages.a.status = 'running';
    expect(now()).toEqual(fresh());
    state.stages.a.status = 'succeeded';
    state.stages.a.outputs = { n: 1 };
    // A stage state replaced by a new object (a skip) is seen too.
    state.stages.b = { status: 'skipped', reason: 'condition was false' };
    expect(now()).toEqual(fresh());
    expect(Object.keys(scope.current())).toEqual(['a', 'b', 'c']);
    expect(Object.getPrototypeOf(scope.current())).toBeNull();
  });

  it('a snapshot keeps what it saw; the live view moves on', () => {
    const state = initialRunState(plan, '2024-01-01');
    const scope = new StagesScope(plan, state);
    state.stages.a.status = 'running';
    scope.sync();
    const snap = scope.snapshot();
    const live = scope.current();
    state.stages.a.status = 'succeeded';
    state.stages.a.outputs = [1, 2];
    state.stages.c.status = 'running';
    scope.syncStage('c');
    expect(live.a.status).toBe('running'); // not synced yet
    scope.sync();
    expect(snap.a).toEqual({ outputs: null, status: 'running' });
    expect(snap.c).toEqual({ outputs: null, status: 'pending' });
    expect(live.a).toEqual({ outputs: [1, 2], status: 'succeeded' });
    expect(live.c.status).toBe('running');
  });
});
