// What a run's history says that its state does not: the plan it runs (workflow input, or the
// compiled plan a scheduled run loaded) and which stage each activity belongs to (the activity's
// summary: `stage` or `stage[i]...` for a fan-out item).
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Plan } from '../dsl/plan';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payload = temporal.api.common.v1.IPayload;
const EventType = temporal.api.enums.v1.EventType;

export function decodePayload<T = unknown>(p: Payload | null | undefined): T | undefined {
  if (!p) return undefined;
  try {
    return defaultPayloadConverter.fromPayload<T>(p as never);
  } catch {
    return undefined;
  }
}

/** The first events of a run (enough to find its plan), without paging through the rest. */
export async function firstEvents(client: Client, workflowId: string, runId: string, count = 100): Promise<HistoryEvent[]> {
  const res = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: count,
  });
  return res.history?.events ?? [];
}

export function planFromHistory(events: HistoryEvent[]): Plan | undefined {
  const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  const input = decodePayload<{ plan?: Plan }>(started?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]);
  if (input?.plan) return input.plan;
  // A scheduled run compiles its file in its first activity (core.loadPipeline).
  for (const e of events) {
    const done = e.activityTaskCompletedEventAttributes;
    if (!done) continue;
    const result = decodePayload<{ plan?: Plan }>(done.result?.payloads?.[0]);
    if (result?.plan?.stages) return result.plan;
  }
  return undefined;
}

export async function planOfRun(client: Client, workflowId: string, runId: string): Promise<Plan | undefined> {
  return planFromHistory(await firstEvents(client, workflowId, runId));
}

export interface ScheduledActivity {
  eventId: number;
  activityId: string;
  activityType: string;
  /** The activity summary the interpreter sets: the stage id, with `[i]...` for a fan-out item. */
  label: string;
  stage: string;
  /** The WORKFLOW_TASK_COMPLETED event whose commands scheduled it (a reset point). */
  workflowTaskCompletedEventId: number;
}

/** Stage id from an activity summary: 'backfill[3] BTCUSDT ...' → 'backfill'. */
export const stageOfLabel = (label: string): string => /^[^[\s]+/.exec(label)?.[0] ?? label;

export function scheduledActivities(events: HistoryEvent[]): ScheduledActivity[] {
  const out: ScheduledActivity[] = [];
  for (const e of events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (!a) continue;
    const label = decodePayload<string>(e.userMetadata?.summary) ?? '';
    out.push({
      eventId: Number(e.eventId),
      activityId: a.activityId ?? '',
      activityType: a.activityType?.name ?? '',
      label,
      stage: stageOfLabel(label),
      workflowTaskCompletedEventId: Number(a.workflowTaskCompletedEventId),
    });
  }
  return out;
}
