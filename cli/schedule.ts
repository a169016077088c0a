// Temporal schedules made to match the pipelines' `schedule:` blocks. Each schedule is
// `pipeline-<name>`, starts `scheduledPipeline` (which compiles the file when the run starts, so
// a YAML edit takes effect at the next run) and records what it was made from in its action's
// memo (a schedule's own memo cannot be updated), which is what `schedule apply` compares: the
// server turns cron strings into calendars, so the spec it returns cannot be compared with the
// YAML directly.
//
// Scheduled runs get the workflow id `<pipeline>-<scheduled time, RFC 3339>` (Temporal appends
// the time to the action's id), the same id `client backfill` gives a logical date: one night of
// a pipeline never runs twice at once.
import path from 'node:path';
import { ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleOptions } from '@temporalio/client';
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

export const SCHEDULE_PREFIX = 'pipeline-';
export const scheduleId = (plan: Pick<Plan, 'name'>) => `${SCHEDULE_PREFIX}${plan.name}`;
export const scheduleIdOf = (nameOrId: string) => (nameOrId.startsWith(SCHEDULE_PREFIX) ? nameOrId : `${SCHEDULE_PREFIX}${nameOrId}`);

/** The workflow id of a pipeline's run for one logical date (what a schedule gives it, too). */
export function logicalRunId(pipeline: string, logicalDate: Date): string {
  return `${pipeline}-${logicalDate.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

/** What a schedule is made from: compared field by field by `schedule apply`. */
export interface ScheduleSource {
  pipeline: string;
  /** Pipeline file, relative to the worker's pipelines folder. */
  file: string;
  cron: string;
  timezone: string;
  overlap: string;
  catchupWindowMs: number | null;
  params: Record<string, unknown> | null;
  taskQueue: string;
}

export function scheduleSource(plan: Plan, file: string, config: Config): ScheduleSource {
  if (!plan.schedule) throw new Error(`${file}: the pipeline has no 'schedule:' block`);
  const s = plan.schedule;
  return {
    pipeline: plan.name,
    file: path.relative(config.pipelinesDir, path.resolve(file)),
    cron: s.cron,
    timezone: s.timezone,
    overlap: s.overlap,
    catchupWindowMs: s.catchupWindowMs ?? null,
    params: s.params ?? null,
    taskQueue: config.taskQueue,
  };
}

function scheduleOptions(src: ScheduleSource, plan: Plan): Omit<ScheduleOptions, 'scheduleId'> {
  const input: ScheduledPipelineInput = { file: src.file };
  return {
    spec: { cronExpressions: [src.cron], timezone: src.timezone },
    action: {
      type: 'startWorkflow',
      workflowType: 'scheduledPipeline',
      taskQueue: src.taskQueue,
      workflowId: src.pipeline,
      args: [input],
      typedSearchAttributes: [
        { key: PIPELINE, value: plan.name },
        { key: PLAN_HASH, value: plan.hash },
      ],
      memo: { pipeline: plan.name, source: src.file, trainflow: src },
    },
    policies: { overlap: OVERLAP[src.overlap as keyof typeof OVERLAP], catchupWindow: src.catchupWindowMs ?? undefined },
  };
}

export function sourceOf(desc: Pick<ScheduleDescription, 'action'>): ScheduleSource | undefined {
  const src = (desc.action.memo as { trainflow?: ScheduleSource } | undefined)?.trainflow;
  return src && typeof src === 'object' ? src : undefined;
}

export async function createOrUpdateSchedule(client: Client, plan: Plan, src: ScheduleSource): Promise<'created' | 'updated'> {
  const options = scheduleOptions(src, plan);
  const id = scheduleId(plan);
  try {
    // Keeps the schedule's state: a paused schedule stays paused.
    await client.schedule.getHandle(id).update((prev) => ({ ...prev, ...options }));
    return 'updated';
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    await client.schedule.create({ scheduleId: id, ...options });
    return 'created';
  }
}

/** Creates or updates one pipeline's schedule (what `schedule apply <file>` does for one file). */
export async function upsertSchedule(client: Client, config: Config, plan: Plan, file: string): Promise<string> {
  const src = scheduleSource(plan, file, config);
  const done = await createOrUpdateSchedule(client, plan, src);
  return `${done} schedule ${scheduleId(plan)}: ${src.cron} (${src.timezone})`;
}

export class NoSuchSchedule extends Error {
  override name = 'NoSuchSchedule';
}

/** Runs `fn` on an existing schedule; a missing one is a NoSuchSchedule error that says so. */
export async function withSchedule<T>(client: Client, nameOrId: string, fn: (h: ReturnType<Client['schedule']['getHandle']>) => Promise<T>): Promise<T> {
  const id = scheduleIdOf(nameOrId);
  try {
    return await fn(client.schedule.getHandle(id));
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new NoSuchSchedule(`no schedule '${id}' (pipeline '${id.slice(SCHEDULE_PREFIX.length)}'); \`client schedule list\` shows the schedules there are`);
    throw err;
  }
}

export async function deleteSchedule(client: Client, nameOrId: string): Promise<string> {
  await withSchedule(client, nameOrId, (h) => h.delete());
  return `deleted schedule ${scheduleIdOf(nameOrId)}`;
}
