// `client schedule <file>`: creates or updates the Temporal schedule declared in a pipeline's
// `schedule:` block. Each scheduled run loads and compiles the file when it starts, so an edit
// takes effect at the next run; its logical date is the scheduled time, so a schedule backfill
// processes each past day. `client unschedule <name>` deletes it.
import path from 'node:path';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Plan } from '../dsl/plan';
import type { ScheduledPipelineInput } from '../workflows/scheduled';
import { PIPELINE, PLAN_HASH } from '../workflows/search-attributes';

const OVERLAP = {
  skip: 'SKIP',
  bufferOne: 'BUFFER_ONE',
  bufferAll: 'BUFFER_ALL',
  cancelOther: 'CANCEL_OTHER',
  terminateOther: 'TERMINATE_OTHER',
  allowAll: 'ALLOW_ALL',
} as const;

export const scheduleId = (plan: Plan) => `pipeline-${plan.name}`;

export async function upsertSchedule(client: Client, config: Config, plan: Plan, file: string): Promise<string> {
  if (!plan.schedule) throw new Error(`${file}: the pipeline has no 'schedule:' block`);
  const s = plan.schedule;
  const input: ScheduledPipelineInput = { file: path.relative(config.pipelinesDir, path.resolve(file)) };
  const id = scheduleId(plan);
  const options = {
    spec: { cronExpressions: [s.cron], timezone: s.timezone },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'scheduledPipeline',
      taskQueue: config.taskQueue,
      workflowId: `${plan.name}-scheduled`,
      args: [input],
      typedSearchAttributes: [
        { key: PIPELINE, value: plan.name },
        { key: PLAN_HASH, value: plan.hash },
      ],
      memo: { pipeline: plan.name, source: input.file },
    },
    policies: { overlap: OVERLAP[s.overlap], catchupWindow: s.catchupWindowMs },
  };
  try {
    await client.schedule.getHandle(id).update((prev) => ({ ...prev, ...options }));
    return `updated schedule ${id}: ${s.cron} (${s.timezone})`;
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    await client.schedule.create({ scheduleId: id, ...options });
    return `created schedule ${id}: ${s.cron} (${s.timezone})`;
  }
}

export async function deleteSchedule(client: Client, name: string): Promise<string> {
  const id = name.startsWith('pipeline-') ? name : `pipeline-${name}`;
  await client.schedule.getHandle(id).delete();
  return `deleted schedule ${id}`;
}
