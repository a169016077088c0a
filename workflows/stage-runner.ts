// Runs one stage of a plan: its condition, its fan-out and its activity calls, each with the
// stage's own retry policy and timeouts. Deterministic: only workflow APIs and the pure DSL.
import { proxyActivities, ApplicationFailure } from '@temporalio/workflow';
import type { ExprScope, PlanStage } from '../dsl/plan';
import { isTruthy, renderTemplate } from '../dsl/expr';
import type { ForEachProgress, StageState } from './run-state';
import { itemLabel } from './item-label';
import { takeTiming, type AttemptTiming } from '../lib/stage-timing';

export type StageOutcome =
  /** timing: of the activity attempt that produced the outputs (not set for fan-outs). */
  | { kind: 'succeeded'; outputs: unknown; timing?: AttemptTiming; lastItemFinishedAt?: number }
  | { kind: 'skipped'; reason: string }
  /** A fan-out stopped early so the run can continue as new; progress is in state.items. */
  | { kind: 'paused' };

export interface StageRunContext {
  scope: ExprScope;
  /** What the status functions in `when` read (stages whose `when` checks status). */
  status?: ExprScope['status'];
  state: StageState;
  /** True once the run should stop starting activities and continue as new. */
  shouldPause(): boolean;
  /** While the run is paused (`client pause`), a promise of its resumption; otherwise undefined. */
  waitWhilePaused(): Promise<void> | undefined;
  onProgress(): void;
}

function activityFor(stage: PlanStage, summary: string): (input: unknown) => Promise<unknown> {
  const { retry, timeout } = stage;
  const acts = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>({
    startToCloseTimeout: timeout.startToCloseMs,
    scheduleToCloseTimeout: timeout.scheduleToCloseMs,
    heartbeatTimeout: timeout.heartbeatMs,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      nonRetryableErrorTypes: retry.nonRetryableErrorTypes,
    },
    summary,
  });
  return acts[stage.uses];
}

/** An expression that cannot be evaluated fails the stage at once: retrying cannot fix it. */
function render(stage: PlanStage, what: string, fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    throw ApplicationFailure.nonRetryable(
      `stage '${stage.id}': cannot evaluate ${what}: ${(err as Error).message}`,
      'ExpressionError',
    );
  }
}

export async function runStage(stage: PlanStage, ctx: StageRunContext): Promise<StageOutcome> {
  if (stage.when) {
    const cond = render(stage, 'when', () => renderTemplate(stage.when!, { ...ctx.scope, status: ctx.status }));
    if (!isTruthy(cond)) return { kind: 'skipped', reason: 'condition was false' };
  }
  if (!stage.forEach) {
    const input = render(stage, 'with', () => renderTemplate(stage.with, ctx.scope));
    const { output, timing } = takeTiming(await activityFor(stage, stage.id)(input));
    return { kind: 'succeeded', outputs: output, timing };
  }
  return runForEach(stage, ctx);
}

async function runForEach(stage: PlanStage, ctx: StageRunContext): Promise<StageOutcome> {
  const items = render(stage, 'forEach', () => renderTemplate(stage.forEach!, ctx.scope));
  if (!Array.isArray(items)) {
    throw ApplicationFailure.nonRetryable(
      `stage '${stage.id}': forEach must evaluate to a list, got ${items === null ? 'null' : typeof items}`,
      'ExpressionError',
    );
  }
  const progress: ForEachProgress = ctx.state.items ?? {
    total: items.length,
    done: 0,
    results: items.map(() => null),
    finished: items.map(() => false),
  };
  ctx.state.items = progress;
  const limit = stage.concurrency && stage.concurrency > 0 ? stage.concurrency : items.length;
  const pending = items.map((_, i) => i).filter((i) => !progress.finished[i]);
  let next = 0;
  let paused = false;
  let lastItemFinishedAt: number | undefined;

  const lane = async (): Promise<void> => {
    while (next < pending.length) {
      const whilePaused = ctx.waitWhilePaused();
      if (whilePaused) await whilePaused;
      if (ctx.shouldPause()) {
        paused = true;
        return;
      }
      if (next >= pending.length) return;
      const i = pending[next++];
      const itemScope = { ...ctx.scope, item: items[i], index: i };
      const input = render(stage, `with (item ${i})`, () => renderTemplate(stage.with, itemScope));
      const label = itemLabel(items[i]);
      const running = (progress.running ??= []);
      running.push(`[${i}] ${label}`.trimEnd());
      try {
        const { output, timing } = takeTiming(await activityFor(stage, `${stage.id}[${i}]${label ? ` ${label}` : ''}`)(input));
        progress.results[i] = output;
        if (timing) lastItemFinishedAt = Math.max(lastItemFinishedAt ?? 0, timing.finishedAt);
      } finally {
        running.splice(running.indexOf(`[${i}] ${label}`.trimEnd()), 1);
      }
      progress.finished[i] = true;
      progress.done++;
      // The Web UI's details are resent with every workflow task: refresh them every 5%.
      if (progress.done % Math.max(1, Math.floor(progress.total / 20)) === 0) ctx.onProgress();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, Math.max(pending.length, 1)) }, lane));
  if (paused && progress.done < progress.total) return { kind: 'paused' };
  return { kind: 'succeeded', outputs: progress.results, lastItemFinishedAt };
}
