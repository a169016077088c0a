// Runs one stage of a plan: its condition, its fan-out and its activity calls, each with the
// stage's own retry policy and timeouts. Deterministic: only workflow APIs and the pure DSL.
import { proxyActivities, proxyLocalActivities, patched, isCancellation, ApplicationFailure } from '@temporalio/workflow';
import { PATCHES } from './patches';
import type { CacheLookupInput, CacheRecord } from '../activities/core/stage-cache';
import type { ExprScope, PlanStage } from '../dsl/plan';
import { isTruthy, renderTemplate } from '../dsl/expr';
import type { ForEachProgress, StageState } from './run-state';
import { itemLabel } from './item-label';
import { takeTiming, type AttemptTiming } from '../lib/stage-timing';
import { MAX_ACTIVITIES_IN_FLIGHT, type ActivitySlots } from './activity-slots';

export type StageOutcome =
  /** timing: of the activity attempt that produced the outputs (not set for fan-outs). */
  | { kind: 'succeeded'; outputs: unknown; timing?: AttemptTiming; lastItemFinishedAt?: number; cached?: CachedFrom }
  | { kind: 'skipped'; reason: string }
  /** A fan-out stopped early so the run can continue as new; progress is in state.items. */
  | { kind: 'paused' };

export interface StageRunContext {
  scope: ExprScope;
  /** What the status functions in `when` read (stages whose `when` checks status). */
  status?: ExprScope['status'];
  state: StageState;
  /** `--no-cache`: run every stage, even with `cache: true`. */
  noCache?: boolean;
  /** True once the run should stop starting activities and continue as new. */
  shouldPause(): boolean;
  /** While the run is paused (`client pause`), a promise of its resumption; otherwise undefined. */
  waitWhilePaused(): Promise<void> | undefined;
  onProgress(): void;
  /** The run's cap on scheduled activities, shared by all its stages. */
  slots: ActivitySlots;
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

/** Where reused outputs came from (the run whose execution is cached). */
export interface CachedFrom {
  workflowId: string;
  runId?: string;
  at?: string;
}

// The stage cache lives in Redis; a local activity reads it (activities/core/stage-cache.ts).
const { 'core.cacheLookup': cacheLookup } = proxyLocalActivities<{
  'core.cacheLookup'(input: CacheLookupInput): Promise<Array<CacheRecord | null>>;
}>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 3, initialInterval: '200 milliseconds' } });

/** Cached records for these inputs (null: run it). A cache that cannot be read is a miss. */
async function fromCache(stage: PlanStage, ctx: StageRunContext, inputs: unknown[]): Promise<Array<CacheRecord | null>> {
  if (!stage.cache || ctx.noCache || inputs.length === 0 || !patched(PATCHES.stageCache)) return inputs.map(() => null);
  try {
    return await cacheLookup({ type: stage.uses, inputs });
  } catch (err) {
    if (isCancellation(err)) throw err;
    return inputs.map(() => null);
  }
}

const CACHE_LOOKUP_BATCH = 200;

const cachedFrom = (r: CacheRecord): CachedFrom => ({ workflowId: r.workflowId ?? '?', ...(r.runId ? { runId: r.runId } : {}), at: r.at });

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
    // Before any await: ctx.scope.stages is the run's live view for a stage without forEach.
    const input = render(stage, 'with', () => renderTemplate(stage.with, ctx.scope));
    // Only a cached stage awaits before its activity: others keep the command order of old runs.
    if (stage.cache && !ctx.noCache) {
      const [hit] = await fromCache(stage, ctx, [input]);
      if (hit) return { kind: 'succeeded', outputs: hit.outputs, cached: cachedFrom(hit) };
    }
    const slot = ctx.slots.take();
    if (slot) await slot;
    try {
      const { output, timing } = takeTiming(await activityFor(stage, stage.id)(input));
      return { kind: 'succeeded', outputs: output, timing };
    } finally {
      ctx.slots.release();
    }
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
  let pending = items.map((_, i) => i).filter((i) => !progress.finished[i]);
  const inputOf = (i: number) => render(stage, `with (item ${i})`, () => renderTemplate(stage.with, { ...ctx.scope, item: items[i], index: i }));
  if (stage.cache && !ctx.noCache) {
    // One lookup per batch of items still to do (each lookup is one history event, so batches
    // keep it well under Temporal's payload limit); the items found do not run.
    for (let from = 0; from < pending.length; from += CACHE_LOOKUP_BATCH) {
      const batch = pending.slice(from, from + CACHE_LOOKUP_BATCH);
      const hits = await fromCache(stage, ctx, batch.map(inputOf));
      hits.forEach((hit, k) => {
        if (!hit) return;
        const i = batch[k];
        progress.results[i] = hit.outputs;
        progress.finished[i] = true;
        progress.done++;
        progress.cached = (progress.cached ?? 0) + 1;
      });
    }
    pending = pending.filter((i) => !progress.finished[i]);
  }
  let next = 0;
  let paused = false;
  let lastItemFinishedAt: number | undefined;

  const lane = async (): Promise<void> => {
    while (next < pending.length) {
      const whilePaused = ctx.waitWhilePaused();
      if (whilePaused) await whilePaused;
      const slot = ctx.slots.take();
      if (slot) await slot;
      if (ctx.shouldPause()) {
        ctx.slots.release();
        paused = true;
        return;
      }
      if (next >= pending.length) {
        ctx.slots.release();
        return;
      }
      const i = pending[next++];
      const input = inputOf(i);
      const label = itemLabel(items[i]);
      const running = (progress.running ??= []);
      running.push(`[${i}] ${label}`.trimEnd());
      try {
        const { output, timing } = takeTiming(await activityFor(stage, `${stage.id}[${i}]${label ? ` ${label}` : ''}`)(input));
        progress.results[i] = output;
        if (timing) lastItemFinishedAt = Math.max(lastItemFinishedAt ?? 0, timing.finishedAt);
      } finally {
        running.splice(running.indexOf(`[${i}] ${label}`.trimEnd()), 1);
        ctx.slots.release();
      }
      progress.finished[i] = true;
      progress.done++;
      // The Web UI's details are resent with every workflow task: refresh them every 5%.
      if (progress.done % Math.max(1, Math.floor(progress.total / 20)) === 0) ctx.onProgress();
    }
  };
  // Past the run's cap, more lanes would only wait for slots (thousands of pending promises).
  let lanes = Math.min(limit, Math.max(pending.length, 1));
  if (lanes > MAX_ACTIVITIES_IN_FLIGHT && patched(PATCHES.activitySlots)) lanes = MAX_ACTIVITIES_IN_FLIGHT;
  await Promise.all(Array.from({ length: lanes }, lane));
  if (paused && progress.done < progress.total) return { kind: 'paused' };
  return { kind: 'succeeded', outputs: progress.results, lastItemFinishedAt };
}
