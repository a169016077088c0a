// A run's state as `client status` shows it: Temporal's view (status, times) and the
// interpreter's (stage by stage), from the result of a closed run or the status query of a live one.
import type { Client } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { statusQuery } from '../workflows/messages';
import type { RunState } from '../workflows/run-state';
import { describeFailure } from '../workflows/failure-message';
import { stageLine } from './progress';
import { planOfRun } from './run-history';
import { closedRunSummary, renderSummary, type RunSummary } from './run-summary';
import { runLink } from './web-ui';

export interface RunStatusView {
  workflowId: string;
  runId: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, ... */
  status: string;
  startTime: string;
  closeTime?: string;
  error?: string;
  state?: RunState;
  /** Why the stages could not be shown (no worker answering the query, ...). */
  stateUnavailable?: string;
  /** Outcome, samples, gates, published versions, paths: once the run is closed. */
  summary?: RunSummary;
  webUi: string;
}

/** The interpreter's state carried by a failed run's StageFailed details. */
export function stateOfFailure(err: unknown): RunState | undefined {
  const cause = err instanceof WorkflowFailedError ? (err.cause as { details?: unknown[] } | undefined) : undefined;
  return (cause?.details?.[0] as { state?: RunState } | undefined)?.state;
}

export async function loadRunStatus(client: Client, workflowId: string, runId?: string): Promise<RunStatusView> {
  const namespace = client.options.namespace;
  const handle = client.workflow.getHandle(workflowId, runId);
  const desc = await handle.describe();
  const view: RunStatusView = {
    workflowId,
    runId: desc.runId,
    status: desc.status.name,
    startTime: desc.startTime.toISOString(),
    closeTime: desc.closeTime?.toISOString(),
    webUi: runLink({ namespace }, workflowId, desc.runId),
  };
  const closed = client.workflow.getHandle(workflowId, desc.runId);
  if (view.status === 'COMPLETED') view.state = (await closed.result()) as RunState;
  else if (view.status === 'FAILED') {
    try {
      await closed.result();
    } catch (err) {
      view.state = stateOfFailure(err);
      view.error = describeFailure(err instanceof WorkflowFailedError ? err.cause : err);
    }
  }
  if (!view.state) {
    try {
      view.state = await closed.query(statusQuery);
    } catch (err) {
      view.stateUnavailable = (err as Error).message.split('\n')[0];
    }
  }
  if (view.status !== 'RUNNING') {
    const plan = view.state?.summary ? undefined : await planOfRun(client, workflowId, desc.runId).catch(() => undefined);
    view.summary = closedRunSummary(plan, view.state, view.status);
  }
  return view;
}

export function renderStatus(v: RunStatusView): string {
  const lines = [`${v.workflowId}  ${v.status}  (started ${v.startTime}${v.closeTime ? `, closed ${v.closeTime}` : ''})`];
  if (v.error) lines.push(`error: ${v.error}`);
  if (v.stateUnavailable) lines.push(`(stage details unavailable: ${v.stateUnavailable})`);
  const s = v.state;
  if (s) {
    lines.push(`pipeline ${s.pipeline}  plan ${s.planHash.slice(0, 12)}  logical date ${s.logicalDate}${s.continuedAsNew ? `  continued-as-new ${s.continuedAsNew}×` : ''}`);
    if (s.paused) lines.push(`PAUSED since ${s.paused.at}${s.paused.reason ? ` (${s.paused.reason})` : ''}: no new stage starts; \`client resume ${v.workflowId}\` continues`);
    for (const [id, st] of Object.entries(s.stages)) lines.push(stageLine(id, '', st).replace(' () ', ' '));
  }
  if (v.summary) lines.push('', renderSummary(v.summary, v.webUi));
  else lines.push(`Web UI: ${v.webUi}`);
  return lines.join('\n');
}

export const failedStatus = (status: string): boolean => ['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED'].includes(status);
