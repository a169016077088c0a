// `client backfill <pipeline> --from D --to D`: runs every logical date the pipeline's schedule
// matches in the range and that has no completed run, one after the other by default. Each date's
// run has the id a scheduled run of that date gets (`<pipeline>-<time>`), so a date that ran is
// skipped, a date running now (scheduled, or another backfill) is not started twice, and a date
// that failed runs again.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { msNumberToTs, tsToDate } from '@temporalio/common/lib/time';
import type { Config } from '../config';
import type { Plan } from '../dsl/plan';
import { resolveParams } from '../dsl/resolve-params';
import { compileOrThrow } from './compile-file';
import { startRun, failureMessage } from './run';
import { stateOfFailure } from './status';
import { closedRunSummary, type PipelineOutcome } from './run-summary';
import { logicalRunId, NoSuchSchedule, scheduleId, scheduleIdOf, sourceOf, withSchedule } from './schedule';
import { UsageError } from './args';
import type { RunState } from '../workflows/run-state';

export interface BackfillTarget {
  plan: Plan;
  scheduleId: string;
  params: Record<string, unknown>;
}

/** A pipeline file, or the name of a pipeline whose schedule names its file. */
export async function backfillTarget(client: Client, config: Config, pipeline: string): Promise<BackfillTarget> {
  let plan: Plan;
  if (/\.ya?ml$/.test(pipeline) || existsSync(pipeline)) plan = compileOrThrow(pipeline);
  else {
    const desc = await withSchedule(client, pipeline, (h) => h.describe());
    const src = sourceOf(desc);
    if (!src) throw new Error(`${scheduleIdOf(pipeline)} was not made by \`client schedule apply\`: give the pipeline file instead`);
    plan = compileOrThrow(path.resolve(config.pipelinesDir, src.file));
  }
  if (!plan.schedule) throw new Error(`pipeline '${plan.name}' has no schedule: block, so it has no logical dates to backfill`);
  const { values, errors } = resolveParams(plan, plan.schedule.params ?? {});
  if (errors.length) throw new Error(errors.join('\n'));
  return { plan, scheduleId: scheduleId(plan), params: values };
}

/** --from/--to: a day (UTC, whole day, both ends included) or an exact ISO time. */
export function backfillRange(from: string, to: string): { start: Date; end: Date } {
  const parse = (s: string, flag: string, endOfDay: boolean): Date => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
      const t = Date.parse(`${s}T00:00:00Z`);
      if (!Number.isNaN(t)) return new Date(t + (endOfDay ? 86_400_000 - 1 : 0));
    } else if (/^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s))) return new Date(Date.parse(s));
    throw new UsageError(`--${flag} wants a date (2023-04-01) or an ISO time (2023-04-01T06:00:00Z), got '${s}'`);
  };
  const start = parse(from, 'from', false);
  const end = parse(to, 'to', true);
  if (end < start) throw new UsageError(`--to (${to}) is before --from (${from})`);
  return { start, end };
}

/** The times the pipeline's schedule matches in [start, end], as Temporal computes them (its start is exclusive). */
export async function matchingTimes(client: Client, id: string, start: Date, end: Date): Promise<Date[]> {
  const res = await client.workflowService
    .listScheduleMatchingTimes({ namespace: client.options.namespace, scheduleId: id, startTime: msNumberToTs(start.getTime() - 1), endTime: msNumberToTs(end.getTime()) })
    .catch((err: Error & { code?: number }) => {
      if (err.code === 5) throw new NoSuchSchedule(`no schedule '${id}': \`client schedule apply\` creates it from the YAML (backfill takes its dates from it)`);
      throw err;
    });
  return (res.startTime ?? []).map((t) => tsToDate(t)).filter((t) => t >= start && t <= end);
}

export type DateResult =
  | { kind: 'done' | 'running' | 'would-run'; logicalDate: string; workflowId: string }
  | { kind: 'ran'; logicalDate: string; workflowId: string; outcome: PipelineOutcome; error?: string; seconds: number };

async function existing(client: Client, workflowId: string): Promise<string | undefined> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

async function runDate(client: Client, config: Config, t: BackfillTarget, date: Date, dryRun: boolean): Promise<DateResult> {
  const logicalDate = date.toISOString();
  const workflowId = logicalRunId(t.plan.name, date);
  const status = await existing(client, workflowId);
  if (status === 'COMPLETED') return { kind: 'done', logicalDate, workflowId };
  if (status === 'RUNNING') return { kind: 'running', logicalDate, workflowId };
  if (dryRun) return { kind: 'would-run', logicalDate, workflowId };
  const started = Date.now();
  try {
    await startRun(client, config, t.plan, { params: t.params, workflowId, logicalDate, idReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' });
  } catch (err) {
    // Started (or completed) by the schedule or another backfill since we looked.
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { kind: (await existing(client, workflowId)) === 'COMPLETED' ? 'done' : 'running', logicalDate, workflowId };
    throw err;
  }
  const seconds = () => (Date.now() - started) / 1000;
  try {
    const state = (await client.workflow.getHandle(workflowId).result()) as RunState;
    return { kind: 'ran', logicalDate, workflowId, outcome: closedRunSummary(t.plan, state, 'COMPLETED')!.outcome, seconds: seconds() };
  } catch (err) {
    const status = (await existing(client, workflowId)) ?? 'FAILED';
    return { kind: 'ran', logicalDate, workflowId, outcome: closedRunSummary(t.plan, stateOfFailure(err), status)?.outcome ?? 'failed', error: failureMessage(err), seconds: seconds() };
  }
}

export async function backfill(
  client: Client,
  config: Config,
  t: BackfillTarget,
  dates: Date[],
  opts: { concurrency: number; dryRun: boolean; onResult?: (r: DateResult) => void },
): Promise<DateResult[]> {
  const results: DateResult[] = new Array(dates.length);
  let next = 0;
  const lane = async () => {
    while (next < dates.length) {
      const i = next++;
      results[i] = await runDate(client, config, t, dates[i], opts.dryRun);
      opts.onResult?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, dates.length)) }, lane));
  return results;
}

export function renderResult(r: DateResult): string {
  const date = r.logicalDate.replace(/\.000Z$/, 'Z');
  switch (r.kind) {
    case 'done':
      return `= ${date}  ${r.workflowId}  already ran`;
    case 'running':
      return `… ${date}  ${r.workflowId}  running now: not started twice`;
    case 'would-run':
      return `+ ${date}  ${r.workflowId}  would run`;
    case 'ran':
      return `${r.error ? '✗' : r.outcome === 'gate-failed' || r.outcome === 'nothing-published' ? '!' : '✓'} ${date}  ${r.workflowId}  ${r.outcome} (${r.seconds.toFixed(1)}s)${r.error ? ` — ${r.error}` : ''}`;
  }
}
