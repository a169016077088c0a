// Following a run to its end and printing its summary: the tail of `run`, `rerun` and `reset --follow`.
import { CancelledFailure, TerminatedFailure, WorkflowFailedError, type Client } from '@temporalio/client';
import type { Plan } from '../dsl/plan';
import type { RunState } from '../workflows/run-state';
import { printJson } from './command';
import { failureMessage, followRun } from './run';
import { closedRunSummary, outcomeExitCode, renderSummary } from './run-summary';
import { stateOfFailure } from './status';

export interface FollowOptions {
  log: (line: string) => void;
  json: boolean;
  webUi: string;
  /** Fields the command adds to its --json document. */
  jsonFields?: Record<string, unknown>;
  /** The closed run's Temporal status when following failed (default: from the failure). */
  statusOf?: (err: unknown) => Promise<string> | string;
  /** Print "run succeeded|completed: <id>" after the summary. */
  closingLine?: boolean;
}

/** Follows the run to its end, prints its summary (or the --json document), returns the exit code. */
export async function followToSummary(client: Client, workflowId: string, plan: Plan, o: FollowOptions): Promise<number> {
  let state: RunState | undefined;
  let status = 'COMPLETED';
  let error: string | undefined;
  try {
    state = await followRun(client, workflowId, plan, o.log);
  } catch (err) {
    state = stateOfFailure(err);
    status = await (o.statusOf ?? closedStatusOf)(err);
    error = failureMessage(err);
  }
  const summary = closedRunSummary(plan, state, status)!;
  if (o.json) printJson({ workflowId, ...o.jsonFields, status, outcome: summary.outcome, error, summary, webUi: o.webUi, state });
  else console.log(`\n${renderSummary(summary, o.webUi)}`);
  if (error) console.error(`run failed: ${error}`);
  else if (!o.json && o.closingLine) console.log(`run ${summary.outcome === 'published' || summary.outcome === 'succeeded' ? 'succeeded' : 'completed'}: ${workflowId}`);
  return outcomeExitCode(summary.outcome);
}

function closedStatusOf(err: unknown): string {
  const cause = err instanceof WorkflowFailedError ? err.cause : undefined;
  if (cause instanceof CancelledFailure) return 'CANCELLED';
  if (cause instanceof TerminatedFailure) return 'TERMINATED';
  return 'FAILED';
}
