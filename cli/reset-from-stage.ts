// `client reset <workflow-id> --from-stage <stage>`: a Temporal Reset aimed at a stage. The run
// restarts from the workflow task whose commands scheduled the stage's first activity (the
// `workflowTaskCompletedEventId` of that ActivityTaskScheduled event), so every stage that had
// finished before it keeps its result and the stage, with everything after it, runs again.
// Stages started by that same workflow task (parallel branches) run again too.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Plan } from '../dsl/plan';
import { planFromHistory, scheduledActivities } from './run-history';
import { checkStageName } from './stage-name';

export interface StageResetResult {
  workflowId: string;
  /** The run that was reset (it ends as TERMINATED unless it had closed). */
  fromRunId: string;
  runId: string;
  /** The WORKFLOW_TASK_COMPLETED event the run was reset to. */
  eventId: string;
  stage: string;
  /** Stages whose activities finished before the reset point: their results are kept. */
  kept: string[];
  /** Stages that run again (the stage, those started with or after it, and those not started). */
  rerun: string[];
  /** Temporal's status of the run before the reset: COMPLETED gets a warning. */
  previousStatus: string;
  plan?: Plan;
}

export async function resetFromStage(
  client: Client,
  workflowId: string,
  stage: string,
  opts: { runId?: string; reason?: string } = {},
): Promise<StageResetResult> {
  const desc = await client.workflow.getHandle(workflowId, opts.runId).describe();
  const runId = desc.runId;
  const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  const plan = planFromHistory(events);
  const acts = scheduledActivities(events);
  if (plan) checkStageName(stage, plan.stages.map((s) => s.id), workflowId);
  const first = acts.find((a) => a.stage === stage);
  if (!first) {
    const continued = desc.raw.workflowExecutionInfo?.firstRunId && desc.raw.workflowExecutionInfo.firstRunId !== runId;
    throw new Error(
      `stage '${stage}' scheduled no activity in run ${runId} of ${workflowId}: it was skipped, has not started yet` +
        (continued ? `, or ran before the run continued as new (reset an earlier run with --run RUN_ID)` : '') +
        '; there is no point in its history to reset to',
    );
  }
  const point = first.workflowTaskCompletedEventId;
  const pointEvent = events.find((e) => Number(e.eventId) === point);
  if (!pointEvent) throw new Error(`${workflowId}: event ${point} (the workflow task that started '${stage}') is not in the run's history`);
  const order = plan?.stages.map((s) => s.id) ?? [...new Set(acts.map((a) => a.stage))];
  const before = new Set(acts.filter((a) => a.eventId < point).map((a) => a.stage));
  const after = new Set(acts.filter((a) => a.eventId > point).map((a) => a.stage));
  const kept = order.filter((s) => before.has(s) && !after.has(s));
  const rerun = order.filter((s) => !kept.includes(s));
  const res = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId, runId },
    reason: opts.reason ?? `reset to re-run from stage '${stage}'`,
    workflowTaskFinishEventId: pointEvent.eventId,
    requestId: randomUUID(),
  });
  return { workflowId, fromRunId: runId, runId: res.runId!, eventId: String(point), stage, kept, rerun, previousStatus: desc.status.name, plan };
}
