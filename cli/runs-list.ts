// `client runs`: pipeline runs from Temporal's visibility store, newest first, each with its
// logical date, status, gate verdict, published version and duration. Outcome, gate and version
// come from the PipelineOutcome search attribute and the summary memo the interpreter leaves; a
// run closed another way (terminated, recorded before either existed) is read in full.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { defineSearchAttributeKey } from '@temporalio/common';
import { parseDuration } from '../dsl/duration';
import { PIPELINE, PIPELINE_OUTCOME } from '../workflows/search-attributes';
import { UsageError } from './args';
import { loadRunStatus } from './status';
import type { PipelineOutcome, RunSummary } from './run-summary';

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

/** --status values: Temporal's execution statuses, and the outcomes of completed runs. */
const EXECUTION_STATUS: Record<string, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  'timed-out': 'TimedOut',
  'continued-as-new': 'ContinuedAsNew',
};
/** Outcomes (the PipelineOutcome search attribute) that --status filters on besides statuses. */
const OUTCOMES: PipelineOutcome[] = ['published', 'gate-failed', 'nothing-published', 'succeeded'];
export const STATUS_VALUES = [...Object.keys(EXECUTION_STATUS), ...OUTCOMES];

export interface RunsFilter {
  pipeline?: string;
  status?: string;
  /** A date (2023-04-01, ISO time) or a duration back from now (7d, 12h). */
  since?: string;
  limit: number;
}

export interface RunRow {
  workflowId: string;
  runId: string;
  pipeline: string | null;
  logicalDate: string;
  /** Temporal's status, lower case: running, completed, failed, cancelled, terminated, ... */
  status: string;
  outcome?: PipelineOutcome;
  gate: string | null;
  published: string | null;
  startTime: string;
  closeTime?: string;
  durationMs: number;
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function sinceTime(since: string, now = Date.now()): Date {
  if (/^\d{4}-\d{2}-\d{2}/.test(since)) {
    const t = Date.parse(since.length === 10 ? `${since}T00:00:00Z` : since);
    if (!Number.isNaN(t)) return new Date(t);
  } else {
    const d = parseDuration(since);
    if ('ms' in d) return new Date(now - d.ms);
  }
  throw new UsageError(`--since wants a date (2023-04-01, 2023-04-01T12:00:00Z) or a duration back from now (7d, 12h), got '${since}'`);
}

export function runsQuery(f: RunsFilter, now = Date.now()): string {
  const parts = ['WorkflowType IN ("pipeline", "scheduledPipeline")'];
  if (f.pipeline) parts.push(`Pipeline = ${quote(f.pipeline)}`);
  if (f.status !== undefined) {
    if (!STATUS_VALUES.includes(f.status)) throw new UsageError(`--status must be one of ${STATUS_VALUES.join(', ')}; got '${f.status}'`);
    const execution = EXECUTION_STATUS[f.status];
    parts.push(execution ? `ExecutionStatus = ${quote(execution)}` : `PipelineOutcome = ${quote(f.status)}`);
  }
  if (f.status !== 'continued-as-new') parts.push('ExecutionStatus != "ContinuedAsNew"');
  if (f.since) parts.push(`StartTime >= ${quote(sinceTime(f.since, now).toISOString())}`);
  return parts.join(' AND ');
}

function logicalDateOf(wf: WorkflowExecutionInfo): string {
  const memo = wf.memo?.logicalDate;
  if (typeof memo === 'string') return memo;
  return (wf.typedSearchAttributes.get(SCHEDULED_START) ?? wf.startTime).toISOString();
}

/** Gate and version columns from a summary. */
function fromSummary(row: RunRow, s: RunSummary): void {
  row.outcome = s.outcome;
  if (s.gates.length) row.gate = s.gates.map((g) => `${g.passed ? 'passed' : 'FAILED'}${s.gates.length > 1 ? ` (${g.stage})` : ''}`).join(', ');
  const versions = s.published.map((p) => (p.published ? p.version : `${p.version} (not published)`));
  if (versions.length) row.published = versions.join(', ');
}

async function rowOf(client: Client, wf: WorkflowExecutionInfo): Promise<RunRow> {
  const status = wf.status.name.toLowerCase().replace(/_/g, '-');
  const row: RunRow = {
    workflowId: wf.workflowId,
    runId: wf.runId,
    pipeline: wf.typedSearchAttributes.get(PIPELINE) ?? null,
    logicalDate: logicalDateOf(wf),
    status,
    outcome: wf.typedSearchAttributes.get(PIPELINE_OUTCOME) as PipelineOutcome | undefined,
    gate: null,
    published: null,
    startTime: wf.startTime.toISOString(),
    closeTime: wf.closeTime?.toISOString(),
    durationMs: (wf.closeTime?.getTime() ?? Date.now()) - wf.startTime.getTime(),
  };
  // A run that continued as new began with the first execution of its chain.
  const firstRunId = wf.raw.firstRunId;
  if (firstRunId && firstRunId !== wf.runId) {
    const first = await client.workflow.getHandle(wf.workflowId, firstRunId).describe().catch(() => undefined);
    if (first?.status.name === 'CONTINUED_AS_NEW') row.durationMs = (wf.closeTime?.getTime() ?? Date.now()) - first.startTime.getTime();
  }
  if (wf.status.name === 'RUNNING') return row;
  // The interpreter leaves its summary in the memo; runs closed another way are read in full.
  const memo = wf.memo?.summary as RunSummary | undefined;
  const summary = memo && typeof memo === 'object' && Array.isArray(memo.gates) ? memo : (await loadRunStatus(client, wf.workflowId, wf.runId).catch(() => undefined))?.summary;
  if (summary) fromSummary(row, summary);
  return row;
}

export async function listRuns(client: Client, f: RunsFilter): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  for await (const wf of client.workflow.list({ query: runsQuery(f), pageSize: Math.min(100, f.limit) })) {
    rows.push(await rowOf(client, wf));
    if (rows.length >= f.limit) break;
  }
  return rows;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function renderRuns(rows: RunRow[]): string {
  const table = [
    ['WORKFLOW ID', 'PIPELINE', 'LOGICAL DATE', 'STATUS', 'GATE', 'PUBLISHED', 'DURATION'],
    ...rows.map((r) => [
      r.workflowId,
      r.pipeline ?? '-',
      r.logicalDate.replace(/\.\d{3}Z$/, 'Z'),
      r.outcome && r.outcome !== 'succeeded' && r.outcome !== 'failed' && r.outcome !== 'cancelled' ? `${r.status}/${r.outcome}` : r.status,
      r.gate ?? '-',
      r.published ?? '-',
      `${duration(r.durationMs)}${r.closeTime ? '' : '+'}`,
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}
