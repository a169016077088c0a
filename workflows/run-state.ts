// The state of one pipeline run: what `client status` and the `status` query show, and what a
// continue-as-new carries into the next run. Pure functions only.
import type { Plan, PlanStage } from '../dsl/plan';
import { dict } from '../dsl/expr/values';
import type { RunSummary } from './run-summary';

export type StageStatus = 'pending' | 'running' | 'succeeded' | 'skipped' | 'failed' | 'cancelled';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ForEachProgress {
  total: number;
  done: number;
  /** Outputs in item order; null until that item has finished. */
  results: unknown[];
  finished: boolean[];
  /** Items running now, as `[index] label` (what each covers: workflows/item-label.ts). */
  running?: string[];
  /** Items whose outputs came from the stage cache. */
  cached?: number;
}

export interface StageState {
  status: StageStatus;
  outputs?: unknown;
  error?: string;
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
  items?: ForEachProgress;
  /** The outputs are an earlier execution's: of a run this one reruns, or from the stage cache. */
  reused?: { from: 'rerun' | 'cache'; workflowId: string; runId?: string; at?: string };
}

export interface RunState {
  pipeline: string;
  planHash: string;
  logicalDate: string;
  status: RunStatus;
  stages: Record<string, StageState>;
  /** How many times this run continued as new (history kept small for long fan-outs). */
  continuedAsNew: number;
  error?: string;
  /** Set while the run is paused (`client pause`): no new stage or fan-out item starts. */
  paused?: { at: string; reason?: string };
  /** What the run came to (set when it ends; the `status` query computes it while it runs). */
  summary?: RunSummary;
}

export function initialRunState(plan: Plan, logicalDate: string): RunState {
  const stages = dict<StageState>(); // stage ids are names from YAML
  for (const s of plan.stages) stages[s.id] = { status: 'pending' };
  return { pipeline: plan.name, planHash: plan.hash, logicalDate, status: 'running', stages, continuedAsNew: 0 };
}

const DONE: StageStatus[] = ['succeeded', 'skipped', 'failed', 'cancelled'];
export const isFinished = (s: StageStatus): boolean => DONE.includes(s);

/**
 * Stages that can start now: pending (or paused mid-fan-out: running but not in flight) with every
 * `needs` finished. A stage whose upstream was skipped, failed or cancelled is not returned; see
 * `blockedBy`.
 */
export function readyStages(plan: Plan, state: RunState, inFlight: ReadonlySet<string>): PlanStage[] {
  return plan.stages.filter((s) => {
    const st = state.stages[s.id].status;
    if (inFlight.has(s.id)) return false;
    if (st !== 'pending' && st !== 'running') return false;
    return s.needs.every((n) => isFinished(state.stages[n].status));
  });
}

/** The first upstream stage that did not succeed, if any: such a stage is skipped, not run. */
export function blockedBy(stage: PlanStage, state: RunState): { id: string; status: StageStatus } | undefined {
  for (const n of stage.needs) {
    const st = state.stages[n].status;
    if (st !== 'succeeded') return { id: n, status: st };
  }
  return undefined;
}

export function allFinished(state: RunState): boolean {
  return Object.values(state.stages).every((s) => isFinished(s.status));
}
