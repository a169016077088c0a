// `client reset <workflow-id>`: what the Web UI's Reset does, aimed for the usual case: the run
// restarts from the workflow task right after its last completed activity, so every stage that
// finished keeps its result and the failed (or unfinished) ones run again. Activities are
// idempotent, so this is safe.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;

export interface ResetResult {
  workflowId: string;
  runId: string;
  /** The WORKFLOW_TASK_COMPLETED event the run was reset to. */
  eventId: string;
}

export async function resetToLastGoodStage(client: Client, workflowId: string, reason = 'reset to after the last completed stage'): Promise<ResetResult> {
  const handle = client.workflow.getHandle(workflowId);
  const { runId } = await handle.describe();
  const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  let lastDone = -1;
  events.forEach((e, i) => {
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) lastDone = i;
  });
  const point = events.slice(lastDone + 1).find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  if (!point) throw new Error(`${workflowId}: no workflow task after its last completed activity to reset to`);
  const res = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId, runId },
    reason,
    workflowTaskFinishEventId: point.eventId,
    requestId: randomUUID(),
  });
  return { workflowId, runId: res.runId!, eventId: String(point.eventId) };
}
