// A run on a task queue no worker polls just waits, silently. `client run` asks the server after
// a few seconds whether the run's workflow task (or its first activity) is still unclaimed, and
// if so says why and what to start.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { PendingWorkflowTaskState, PendingActivityState, TaskQueueType } = temporal.api.enums.v1;

/** A poller counts as alive if it polled this recently (long polls last about a minute). */
const POLLER_FRESH_MS = 90_000;

const millis = (t?: { seconds?: unknown; nanos?: number | null } | null): number =>
  t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;

async function livePollers(client: Client, taskQueue: string, type: temporal.api.enums.v1.TaskQueueType): Promise<number> {
  const res = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: type });
  const now = Date.now();
  return (res.pollers ?? []).filter((p) => now - millis(p.lastAccessTime) < POLLER_FRESH_MS).length;
}

/** A hint if the run has work no worker has picked up for `waitedMs`, else undefined. */
export async function noWorkerHint(client: Client, workflowId: string, waitedMs = 3000): Promise<string | undefined> {
  const desc = await client.workflow.getHandle(workflowId).describe();
  if (desc.status.name !== 'RUNNING') return undefined;
  const raw = desc.raw;
  const now = Date.now();
  const wft = raw.pendingWorkflowTask;
  const taskQueue = desc.taskQueue;
  let kind: 'workflow' | 'activity' | undefined;
  if (wft && wft.state === PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED && now - millis(wft.scheduledTime) >= waitedMs) kind = 'workflow';
  const unclaimed = (raw.pendingActivities ?? []).find(
    (a) => a.state === PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED && a.attempt === 1 && now - millis(a.scheduledTime) >= waitedMs,
  );
  if (!kind && unclaimed) kind = 'activity';
  if (!kind) return undefined;
  const pollers = await livePollers(
    client,
    taskQueue,
    kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  );
  if (pollers > 0) {
    return `hint: ${pollers} worker(s) poll task queue '${taskQueue}' but none has taken this run's ${kind} task yet (busy?); it starts when one is free`;
  }
  const env = taskQueue === 'trainflow' ? '' : `TRAINFLOW_TASK_QUEUE=${taskQueue} `;
  return `hint: no worker is polling task queue '${taskQueue}': the run waits until one does. Start one with \`${env}npm run worker\` (or \`npm run demo\`, which starts the stack and a worker)`;
}
