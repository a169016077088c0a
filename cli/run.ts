// `client run <file> [--param k=v ...]`: compile, start, follow stage progress live, exit 0 on
// success and 1 with the failing stage's error otherwise.
import type { Client } from '@temporalio/client';
import type { WorkflowIdReusePolicy } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { Config } from '../config';
import type { Plan } from '../dsl/plan';
import { resolveParams } from '../dsl/resolve-params';
import type { pipeline, PipelineInput } from '../workflows/pipeline';
import { statusQuery } from '../workflows/messages';
import type { RunState } from '../workflows/run-state';
import { PIPELINE, PLAN_HASH } from '../workflows/search-attributes';
import { stageLine } from './progress';
import { describeFailure } from '../workflows/failure-message';
import { noWorkerHint } from './worker-hint';

export interface StartOptions {
  params?: Record<string, unknown>;
  workflowId?: string;
  logicalDate?: string;
  maxHistoryEvents?: number;
  /** ALLOW_DUPLICATE_FAILED_ONLY: a completed run of the id is never started again (backfill). */
  idReusePolicy?: WorkflowIdReusePolicy;
  /** Stages not to run, with an earlier run's outputs (`client rerun`). */
  reuse?: PipelineInput['reuse'];
  /** Skip the stage cache. */
  noCache?: boolean;
}

export function runWorkflowId(plan: Plan, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${plan.name}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function startRun(client: Client, config: Config, plan: Plan, opts: StartOptions = {}) {
  const { values, errors } = resolveParams(plan, opts.params ?? {});
  if (errors.length) throw new Error(errors.join('\n'));
  const input: PipelineInput = {
    plan,
    params: values,
    logicalDate: opts.logicalDate,
    maxHistoryEvents: opts.maxHistoryEvents,
    ...(opts.reuse && Object.keys(opts.reuse).length ? { reuse: opts.reuse } : {}),
    ...(opts.noCache ? { noCache: true } : {}),
  };
  return client.workflow.start<typeof pipeline>('pipeline', {
    taskQueue: config.taskQueue,
    workflowId: opts.workflowId ?? runWorkflowId(plan),
    workflowIdReusePolicy: opts.idReusePolicy,
    args: [input],
    typedSearchAttributes: [
      { key: PIPELINE, value: plan.name },
      { key: PLAN_HASH, value: plan.hash },
    ],
    memo: { pipeline: plan.name, planHash: plan.hash, source: plan.source?.file ?? null, ...(opts.logicalDate ? { logicalDate: opts.logicalDate } : {}) },
    staticSummary: `pipeline ${plan.name} (plan ${plan.hash.slice(0, 12)})`,
  });
}

/** Prints each stage's changes until the run ends; returns the final state or throws its failure. */
export async function followRun(client: Client, workflowId: string, plan: Plan, print = console.log, pollMs = 500): Promise<RunState> {
  const handle = client.workflow.getHandle(workflowId);
  const seen = new Map<string, string>();
  const report = (state: RunState) => {
    for (const st of plan.stages) {
      const s = state.stages[st.id];
      if (!s) continue;
      const key = `${s.status}:${s.items?.done ?? ''}`;
      if (seen.get(st.id) !== key) {
        seen.set(st.id, key);
        if (s.status !== 'pending') print(stageLine(st.id, st.uses, s));
      }
    }
  };
  let finished = false;
  const result = handle.result().finally(() => (finished = true));
  // A few seconds in, and every minute after: say so if no worker has picked the run up.
  let hintTimer: NodeJS.Timeout | undefined;
  const checkWorker = (nextMs: number) => {
    hintTimer = setTimeout(() => {
      noWorkerHint(client, workflowId).then((h) => h && !finished && print(h), () => undefined);
      checkWorker(60_000);
    }, nextMs);
    hintTimer.unref();
  };
  checkWorker(3000);
  while (!finished) {
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, pollMs))]);
    if (finished) break;
    try {
      report(await handle.query(statusQuery));
    } catch {
      /* no worker polling yet, or the run just ended: try again */
    }
  }
  clearTimeout(hintTimer);
  try {
    const state = (await result) as RunState;
    report(state);
    return state;
  } catch (err) {
    const details = err instanceof WorkflowFailedError ? (err.cause as { details?: unknown[] } | undefined)?.details : undefined;
    const state = (details?.[0] as { state?: RunState } | undefined)?.state;
    if (state) report(state);
    throw err;
  }
}

export function failureMessage(err: unknown): string {
  if (!(err instanceof WorkflowFailedError) || !err.cause) return describeFailure(err);
  // The interpreter's own failure already names the stage and its cause.
  return (err.cause as { type?: string }).type === 'StageFailed' ? err.cause.message : describeFailure(err.cause);
}
