// `client rerun <workflow-id> [--from-stage S] [--param k=v]`: a new run of the pipeline with its
// current YAML, the earlier run's params (overridden by --param) and logical date, that reuses the
// outputs of the earlier run's stages before S instead of running them again. So a fix to the YAML
// (or to a param) applies to a run that failed late, without hours of backfill again.
import type { Client } from '@temporalio/client';
import type { Plan, PlanStage } from '../dsl/plan';
import { canonicalJson } from '../dsl/hash';
import type { ReusedStage } from '../workflows/pipeline';
import type { RunState } from '../workflows/run-state';
import { firstEvents, decodePayload } from './run-history';
import { loadRunStatus } from './status';
import { temporal } from '@temporalio/proto';
import { withSuggestionOrList } from '../dsl/suggest';

const EventType = temporal.api.enums.v1.EventType;

export interface RerunPlan {
  /** Stage id → the earlier outputs it starts with. Null-prototype: keys are stage ids. */
  reuse: Record<string, ReusedStage>;
  /** Stages that run again, each with why. */
  rerun: Array<{ stage: string; why: string }>;
}

/** The part of a stage that decides what it does: if it changed, its old outputs do not count. */
const definition = (s: PlanStage) => canonicalJson({ uses: s.uses, with: s.with, forEach: s.forEach ?? null, when: s.when ?? null, needs: s.needs });

/**
 * Which stages of `newPlan` can start with `old`'s outputs: those that succeeded in the old run,
 * are not `fromStage` or downstream of it, kept their definition, and whose needs are all reused.
 * Without `fromStage`, it is the first stage (in plan order) that did not succeed.
 */
export function planRerun(oldPlan: Pick<Plan, 'stages'>, old: Pick<RunState, 'stages'>, newPlan: Pick<Plan, 'stages'>, ids: { workflowId: string; runId?: string }, fromStage?: string): RerunPlan & { fromStage: string } {
  const newIds = newPlan.stages.map((s) => s.id);
  let from = fromStage;
  if (from !== undefined && !newIds.includes(from)) throw new Error(withSuggestionOrList(`the pipeline has no stage '${from}'`, from, newIds, 'stages'));
  from ??= newPlan.stages.find((s) => old.stages[s.id]?.status !== 'succeeded')?.id;
  if (from === undefined) throw new Error(`every stage of ${ids.workflowId} succeeded: nothing to rerun (name the first stage to run again with --from-stage)`);
  const downstream = new Set<string>([from]);
  for (const s of newPlan.stages) if (s.needs.some((n) => downstream.has(n))) downstream.add(s.id); // plan order is topological
  const oldById = new Map(oldPlan.stages.map((s) => [s.id, s]));
  const reuse = Object.create(null) as Record<string, ReusedStage>;
  const rerun: RerunPlan['rerun'] = [];
  for (const s of newPlan.stages) {
    const before = oldById.get(s.id);
    const st = old.stages[s.id];
    let why: string | undefined;
    if (downstream.has(s.id)) why = s.id === from ? 'the stage to run again' : `downstream of '${from}'`;
    else if (!before) why = 'new in the YAML';
    else if (definition(before) !== definition(s)) why = 'its definition changed in the YAML';
    else if (st?.status !== 'succeeded') why = `it ${st?.status ?? 'did not run'} in ${ids.workflowId}`;
    else {
      const need = s.needs.find((n) => !(n in reuse));
      if (need) why = `it needs '${need}', which runs again`;
    }
    if (why) rerun.push({ stage: s.id, why });
    else {
      // Reused again: the run that made the outputs is still the one to name.
      const made = st!.reused ? { workflowId: st!.reused.workflowId, ...(st!.reused.runId ? { runId: st!.reused.runId } : {}) } : { workflowId: ids.workflowId, ...(ids.runId ? { runId: ids.runId } : {}) };
      reuse[s.id] = { outputs: st!.outputs, ...made, startedAt: st!.startedAt, finishedAt: st!.finishedAt };
    }
  }
  return { reuse, rerun, fromStage: from };
}

export interface EarlierRun {
  workflowId: string;
  runId: string;
  plan: Plan;
  params: Record<string, unknown>;
  logicalDate: string;
  state: RunState;
}

/** The earlier run: the plan and params it ran with (for a scheduled run, what it loaded), and its state. */
export async function loadEarlierRun(client: Client, workflowId: string): Promise<EarlierRun> {
  const view = await loadRunStatus(client, workflowId);
  if (view.status === 'RUNNING') throw new Error(`${workflowId} is still running: cancel it first, or wait for it to end`);
  if (!view.state) throw new Error(`${workflowId}: its stage states are not available${view.stateUnavailable ? ` (${view.stateUnavailable})` : ''}`);
  const desc = await client.workflow.getHandle(workflowId).describe();
  const events = await firstEvents(client, workflowId, desc.runId);
  const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  const input = decodePayload<{ plan?: Plan; params?: Record<string, unknown> }>(started?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]);
  let plan = input?.plan;
  let params = input?.params;
  if (!plan) {
    for (const e of events) {
      const r = decodePayload<{ plan?: Plan; params?: Record<string, unknown> }>(e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]);
      if (r?.plan?.stages) ({ plan, params } = r);
      if (plan) break;
    }
  }
  if (!plan) throw new Error(`${workflowId}: cannot find the plan it ran in its history`);
  return { workflowId, runId: desc.runId, plan, params: params ?? {}, logicalDate: view.state.logicalDate, state: view.state };
}
