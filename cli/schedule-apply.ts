// `client schedule apply [files...]`: makes Temporal's schedules match the YAML. The desired set
// is every pipeline with a `schedule:` block among the files (default: every *.yaml in the
// pipelines folder); the current set is every `pipeline-*` schedule that starts runs on this
// task queue. A pipeline whose file lost its `schedule:` block loses its schedule; with no files
// given, so does every schedule of this task queue that no file declares.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Plan } from '../dsl/plan';
import { compileFile } from './compile-file';
import { formatError } from '../dsl';
import { createOrUpdateSchedule, SCHEDULE_PREFIX, scheduleId, scheduleSource, sourceOf, type ScheduleSource } from './schedule';

export type ChangeKind = 'create' | 'update' | 'delete' | 'unchanged';

export interface ScheduleChange {
  kind: ChangeKind;
  scheduleId: string;
  pipeline: string;
  /** For update: 'field: before → after' per changed field. */
  changes: string[];
  before?: ScheduleSource;
  after?: ScheduleSource;
  paused?: boolean;
  plan?: Plan;
}

export function pipelineFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

interface Desired {
  /** Pipelines the files define, scheduled or not. */
  named: Set<string>;
  scheduled: Map<string, { plan: Plan; source: ScheduleSource }>;
}

/** Compiles every file; any error fails the whole apply before anything changes. */
function desiredSchedules(files: string[], config: Config): Desired {
  const named = new Set<string>();
  const scheduled = new Map<string, { plan: Plan; source: ScheduleSource }>();
  const problems: string[] = [];
  const fileOf = new Map<string, string>();
  for (const file of files) {
    const { plan, errors } = compileFile(file);
    if (!plan) {
      problems.push(...errors.map(formatError));
      continue;
    }
    if (fileOf.has(plan.name)) {
      problems.push(`${file}: pipeline '${plan.name}' is also defined in ${fileOf.get(plan.name)}; a pipeline has one schedule`);
      continue;
    }
    fileOf.set(plan.name, file);
    named.add(plan.name);
    if (plan.schedule) scheduled.set(plan.name, { plan, source: scheduleSource(plan, file, config) });
  }
  if (problems.length) throw new Error(`${problems.join('\n')}\nnothing applied`);
  return { named, scheduled };
}

async function currentSchedules(client: Client, config: Config): Promise<Map<string, { source?: ScheduleSource; paused: boolean }>> {
  const current = new Map<string, { source?: ScheduleSource; paused: boolean }>();
  for await (const s of client.schedule.list()) {
    if (!s.scheduleId.startsWith(SCHEDULE_PREFIX)) continue;
    const desc = await client.schedule.getHandle(s.scheduleId).describe();
    if (desc.action.type !== 'startWorkflow' || desc.action.taskQueue !== config.taskQueue) continue;
    current.set(s.scheduleId, { source: sourceOf(desc), paused: desc.state.paused });
  }
  return current;
}

function fieldChanges(before: ScheduleSource | undefined, after: ScheduleSource): string[] {
  if (!before) return ['made before `schedule apply` recorded its source: rewritten'];
  const keys = Object.keys(after) as Array<keyof ScheduleSource>;
  const show = (v: unknown) => (v === null || v === undefined ? '-' : typeof v === 'string' ? `"${v}"` : JSON.stringify(v));
  return keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`);
}

export async function planScheduleChanges(client: Client, config: Config, files: string[] | undefined): Promise<ScheduleChange[]> {
  const all = !files || files.length === 0;
  const desired = desiredSchedules(all ? pipelineFiles(config.pipelinesDir) : files, config);
  const current = await currentSchedules(client, config);
  const changes: ScheduleChange[] = [];
  for (const [name, { plan, source }] of desired.scheduled) {
    const id = scheduleId(plan);
    const now = current.get(id);
    if (!now) changes.push({ kind: 'create', scheduleId: id, pipeline: name, changes: [], after: source, plan });
    else {
      const diff = fieldChanges(now.source, source);
      changes.push({ kind: diff.length ? 'update' : 'unchanged', scheduleId: id, pipeline: name, changes: diff, before: now.source, after: source, paused: now.paused, plan });
    }
  }
  for (const [id, now] of current) {
    const name = id.slice(SCHEDULE_PREFIX.length);
    if (desired.scheduled.has(name)) continue;
    // Given files only speak for the pipelines they define.
    if (!all && !desired.named.has(name)) continue;
    changes.push({ kind: 'delete', scheduleId: id, pipeline: name, changes: [], before: now.source, paused: now.paused });
  }
  return changes.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export async function applyScheduleChanges(client: Client, changes: ScheduleChange[]): Promise<void> {
  for (const c of changes) {
    if (c.kind === 'create' || c.kind === 'update') await createOrUpdateSchedule(client, c.plan!, c.after!);
    else if (c.kind === 'delete') await client.schedule.getHandle(c.scheduleId).delete();
  }
}

const describeSource = (s: ScheduleSource) =>
  `cron "${s.cron}" ${s.timezone}, overlap ${s.overlap}${s.catchupWindowMs !== null ? `, catch-up ${s.catchupWindowMs / 1000}s` : ''}${s.params ? `, params ${JSON.stringify(s.params)}` : ''} (${s.file})`;

export function renderChanges(changes: ScheduleChange[]): string {
  if (!changes.length) return 'no schedules declared or found';
  return changes
    .map((c) => {
      const paused = c.paused ? ' [paused]' : '';
      if (c.kind === 'create') return `+ ${c.scheduleId}  create: ${describeSource(c.after!)}`;
      if (c.kind === 'delete') return `- ${c.scheduleId}  delete: no pipeline file declares its schedule${paused}`;
      if (c.kind === 'unchanged') return `= ${c.scheduleId}  unchanged${paused}`;
      return [`~ ${c.scheduleId}  update${paused}:`, ...c.changes.map((x) => `      ${x}`)].join('\n');
    })
    .join('\n');
}
