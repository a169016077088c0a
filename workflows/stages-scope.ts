// `stages` as expressions see it: each stage's outputs and status. Building it afresh for every
// stage launched cost O(stages) each, so O(stages²) in the workflow task that launches a wide plan
// (3,000 parallel stages: 6.6 s, past the 5 s a workflow task may run, retried forever).
// Instead one view is kept in step with the run state: synced in full before each batch of
// launches (only changed entries are replaced), and per stage as a launch changes it. An entry is
// never mutated, so a shallow copy is a stable snapshot.
import type { Plan } from '../dsl/plan';
import { dict } from '../dsl/expr/values';
import type { ExprScope } from '../dsl/plan';
import type { RunState } from './run-state';

type StagesView = ExprScope['stages'];
type Entry = StagesView[string];

export class StagesScope {
  private readonly view: StagesView = dict<Entry>();

  constructor(
    private readonly plan: Plan,
    private readonly state: RunState,
  ) {}

  /** Brings every entry in step with the run state: O(stages), once per batch of launches. */
  sync(): void {
    for (const { id } of this.plan.stages) this.syncStage(id);
  }

  /** Brings one stage's entry in step: what a launch calls after it changed that stage. */
  syncStage(id: string): void {
    const s = this.state.stages[id];
    const outputs = s.outputs ?? null;
    const e = this.view[id];
    if (!e || e.status !== s.status || e.outputs !== outputs) this.view[id] = { outputs, status: s.status };
  }

  /**
   * The view as last synced. It changes with the next sync: a caller that evaluates expressions
   * later (after an await) must take `snapshot()` instead.
   */
  current(): StagesView {
    return this.view;
  }

  /** A copy that later syncs do not touch. */
  snapshot(): StagesView {
    return Object.assign(dict<Entry>(), this.view);
  }
}
