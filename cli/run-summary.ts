// The end of `client run`/`status`: what a closed run came to, printed so that a run whose gate
// failed or that published nothing never reads as a plain success. The summary itself is the
// interpreter's (workflows/run-summary.ts, in the result, failure details and memo); for a run
// recorded before it had one, or closed by Temporal (terminated, timed out), it is worked out here
// from the run's plan and last state with the same function.
import type { Plan } from '../dsl/plan';
import type { RunState } from '../workflows/run-state';
import { summarizeRun, type PipelineOutcome, type RunSummary } from '../workflows/run-summary';

export type { PipelineOutcome, RunSummary };

const RUN_STATUS: Record<string, RunState['status']> = {
  COMPLETED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'cancelled',
};

/** The summary of a closed run (Temporal status COMPLETED, FAILED, ...); undefined while it runs. */
export function closedRunSummary(plan: Pick<Plan, 'stages'> | undefined, state: RunState | undefined, temporalStatus: string): RunSummary | undefined {
  const status = RUN_STATUS[temporalStatus];
  if (!status) return undefined;
  // Terminated or timed out: the interpreter never wrote its own ending.
  if (state?.summary && (temporalStatus === 'COMPLETED' || temporalStatus === 'FAILED' || temporalStatus === 'CANCELLED')) return state.summary;
  if (plan && state) return summarizeRun(plan, { ...state, status, error: state.error ?? (temporalStatus === 'COMPLETED' ? undefined : temporalStatus.toLowerCase().replace('_', ' ')) });
  const outcome: PipelineOutcome = status === 'running' ? 'failed' : status;
  return { outcome, headline: temporalStatus.toLowerCase().replace('_', ' '), samples: [], gates: [], published: [], reports: [], models: [] };
}

const OUTCOME_LINE: Record<PipelineOutcome, string> = {
  published: ' — a new model version is live',
  'gate-failed': ' — COMPLETED, BUT THE GATE FAILED: nothing new is live',
  'nothing-published': ' — COMPLETED, BUT NOTHING WAS PUBLISHED',
  succeeded: '',
  failed: ' — FAILED',
  cancelled: ' — CANCELLED',
};

export function renderSummary(s: RunSummary, webUi: string): string {
  const lines = [`outcome: ${s.outcome}${OUTCOME_LINE[s.outcome]}`, `  ${s.headline}`];
  for (const x of s.samples) lines.push(`  samples  ${x.stage}: ${x.in !== undefined ? `${x.in} in, ` : ''}${x.out} out${x.in ? ` (${((100 * x.out) / x.in).toFixed(1)}% kept)` : ''}`);
  for (const g of s.gates) lines.push(`  gate     ${g.stage}: ${g.passed ? 'passed' : 'FAILED'}${g.model ? ` (${g.model})` : ''} — ${g.reason}`);
  for (const p of s.published) {
    lines.push(`  publish  ${p.stage}: ${p.version} ${p.published ? 'published, latest' : `kept but NOT published (latest stays ${p.latest ?? 'unset'})`}`);
  }
  for (const r of s.reports) lines.push(`  report   ${r}`);
  for (const m of s.models) lines.push(`  model    ${m}`);
  lines.push(`  Web UI   ${webUi}`);
  return lines.join('\n');
}

/** Exit code of `client run`/`status`/`backfill`: 0 success, 1 failed, 3 completed without publishing. */
export function outcomeExitCode(outcome: PipelineOutcome): number {
  if (outcome === 'failed' || outcome === 'cancelled') return 1;
  if (outcome === 'gate-failed' || outcome === 'nothing-published') return 3;
  return 0;
}
