// The pipeline interpreter: runs a compiled Plan. Each stage starts as soon as every stage it
// `needs` has finished; independent stages run in parallel. A stage that exhausts its retries
// fails the run with a non-retryable error naming it. Long fan-outs continue as new with their
// progress, so the history stays small however many activities a run makes.
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey } from '@temporalio/common';
import type { ExprScope, Plan, PlanStage } from '../dsl/plan';
import { pauseUpdate, resumeUpdate, statusQuery, type PauseState } from './messages';
import { blockedBy, initialRunState, readyStages, type RunState, type StageState } from './run-state';
import type { AttemptTiming } from '../lib/stage-timing';
import { runStage } from './stage-runner';
import { ActivitySlots } from './activity-slots';
import { PIPELINE_OUTCOME, PIPELINE_STAGE } from './search-attributes';
import { describeFailure } from './failure-message';
import { summarizeRun } from './run-summary';
import { carryProblem, stateIfItFits } from './carry-limit';
import { runningStagesValue } from './running-stages';
import { StagesScope } from './stages-scope';
import { StageEndSignal } from './stage-end-signal';

import { PATCHES } from './patches';

export interface PipelineInput {
  plan: Plan;
  /** Values for every param (defaults already applied by the client). */
  params: Record<string, unknown>;
  /** The date the run is about; scheduled runs take it from TemporalScheduledStartTime. */
  logicalDate?: string;
  /** Continue as new past this many history events (tests); otherwise when the server suggests. */
  maxHistoryEvents?: number;
  /** State carried over by continue-as-new. */
  carried?: RunState;
  /** Stages that do not run: their outputs come from an earlier run (`client rerun`). */
  reuse?: Record<string, ReusedStage>;
  /** Skip the stage cache (`--no-cache`): every stage with `cache: true` runs. */
  noCache?: boolean;
}

export interface ReusedStage {
  outputs: unknown;
  /** The run that produced them. */
  workflowId: string;
  runId?: string;
  startedAt?: string;
  finishedAt?: string;
}

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

function logicalDateOf(input: PipelineInput): string {
  if (input.logicalDate) return input.logicalDate;
  const scheduled = workflowInfo().typedSearchAttributes.get(SCHEDULED_START);
  return (scheduled ?? workflowInfo().startTime).toISOString();
}

function checkPlan(plan: Plan): void {
  if (!plan || plan.version !== 1 || !Array.isArray(plan.stages)) {
    throw ApplicationFailure.nonRetryable('workflow input is not a Trainflow plan (version 1)', 'InvalidPlan');
  }
}

export async function pipeline(input: PipelineInput): Promise<RunState> {
  return runPipeline(input, (next) => continueAsNew<typeof pipeline>(next));
}

/**
 * The interpreter. `continueWith` continues the run as new with the given input; each workflow
 * type continues as itself (scheduledPipeline wraps the input in its own).
 */
export async function runPipeline(input: PipelineInput, continueWith: (next: PipelineInput) => Promise<never>): Promise<RunState> {
  const { plan } = input;
  checkPlan(plan);
  const logicalDate = logicalDateOf(input);
  const state: RunState = input.carried ?? withReused(initialRunState(plan, logicalDate), input.reuse);
  setHandler(statusQuery, () => (state.summary ? state : { ...state, summary: summarizeRun(plan, state) }));

  const info = workflowInfo();
  const stagesScope = new StagesScope(plan, state);
  // Launches come in synchronous batches, each after stagesScope.sync(); within a batch only
  // launch() changes stages, and it syncs what it changes. A fan-out renders its items' inputs
  // later, after awaits: it gets a snapshot. Any other stage renders its `when` and `with` before
  // its first await, so the shared view is exact for it.
  const scopeOf = (stable: boolean): ExprScope => ({
    params: input.params,
    run: { id: info.runId, workflowId: info.workflowId, pipeline: plan.name, logicalDate, startedAt: info.startTime.toISOString() },
    stages: stable ? stagesScope.snapshot() : stagesScope.current(),
  });

  let pausing = false;
  const shouldPause = (): boolean => {
    if (pausing) return true;
    const i = workflowInfo();
    pausing = i.continueAsNewSuggested || (input.maxHistoryEvents !== undefined && i.historyLength > input.maxHistoryEvents);
    return pausing;
  };

  const root = CancellationScope.current();
  const slots = new ActivitySlots();
  const inFlight = new Map<string, Promise<void>>();
  // Since the `stage-end-signal` patch the loop waits on one signal; runs recorded before it
  // raced every running stage's promise, and replay that way.
  const stageEnds = patched(PATCHES.stageEndSignal) ? new StageEndSignal() : undefined;
  const stageScope = new CancellationScope();
  // Stages that run after a failure or a cancel (`when: always()`) must not be cancelled themselves.
  let cleanupScope: CancellationScope | undefined;
  let failed: { stage: string; message: string } | undefined;
  const statusFor = (stage: PlanStage): ExprScope['status'] => ({
    failed: failed !== undefined,
    cancelled: root.consideredCancelled,
    needsSucceeded: stage.needs.every((n) => state.stages[n].status === 'succeeded'),
  });

  // `client pause`: no new stage or fan-out item starts until `resume`.
  let resumed: Promise<void> | undefined;
  const whileRunning = (): boolean => failed === undefined && !root.consideredCancelled && state.status === 'running';
  const pauseState = (): PauseState => ({ paused: !!state.paused, running: [...inFlight.keys()], reason: state.paused?.reason });
  setHandler(
    pauseUpdate,
    (reason: string | null) => {
      state.paused ??= { at: new Date().toISOString(), ...(reason ? { reason } : {}) };
      publish();
      return pauseState();
    },
    { validator: (_reason: string | null) => { if (!whileRunning()) throw new Error(`the run is ${failed ? 'failing' : root.consideredCancelled ? 'being cancelled' : state.status}: nothing to pause`); } },
  );
  setHandler(resumeUpdate, () => {
    state.paused = undefined;
    publish();
    return pauseState();
  });
  /** Resolves when the run is resumed; rejects if it is cancelled meanwhile. */
  const untilResumed = (): Promise<void> => (resumed ??= condition(() => !state.paused).finally(() => (resumed = undefined)));
  // Not async: when not paused, no extra await, so the command order of unpaused runs is unchanged.
  const waitWhilePaused = (): Promise<void> | undefined => (state.paused ? untilResumed() : undefined);

  let shownStages: string | null | undefined;
  let detailsDue = false;
  const publish = (): void => {
    // Each upsert is a history event: only when the set of running stages (or pausing) changes.
    const running = runningStagesValue(inFlight.keys(), inFlight.size, !!state.paused);
    if (running !== shownStages) {
      shownStages = running;
      upsertSearchAttributes([{ key: PIPELINE_STAGE, value: running }]);
    }
    // The details are no command, only what the Web UI shows: written once after this turn's
    // stage ends (a microtask of the same activation), not at each, as they cover every stage.
    if (!detailsDue) {
      detailsDue = true;
      void Promise.resolve().then(() => {
        detailsDue = false;
        setCurrentDetails(runDetails());
      });
    }
  };
  const runDetails = (): string => {
    const outcome = state.summary ? `**Outcome: ${state.summary.outcome}** — ${state.summary.headline}\n\n` : '';
    const paused = state.paused ? `**Paused** since ${state.paused.at}${state.paused.reason ? ` (${state.paused.reason})` : ''}: \`client resume\` continues\n\n` : '';
    return (
      outcome +
      paused +
      plan.stages
        .map((s) => {
          const st = state.stages[s.id];
          const now = st.status === 'running' && st.items?.running?.length ? ` — now ${st.items.running.join('; ')}` : '';
          const items = st.items ? ` (${st.items.done}/${st.items.total})${now}` : '';
          return `- **${s.id}** (${s.uses}): ${st.status}${items}${st.error ? ` — ${st.error}` : ''}`;
        })
        .join('\n')
    );
  };

  const launch = (stage: PlanStage, scope: CancellationScope = stageScope): void => {
    const st = state.stages[stage.id];
    // A stage whose `when` checks status decides for itself what its needs' results mean.
    const upstream = stage.whenChecksStatus ? undefined : blockedBy(stage, state);
    if (upstream) {
      state.stages[stage.id] = { status: 'skipped', reason: `upstream stage '${upstream.id}' ${upstream.status}` };
      stagesScope.syncStage(stage.id);
      return;
    }
    st.status = 'running';
    st.startedAt ??= new Date().toISOString();
    stagesScope.syncStage(stage.id);
    const ctx = { scope: scopeOf(!!stage.forEach), status: stage.whenChecksStatus ? statusFor(stage) : undefined, state: st, noCache: input.noCache === true, shouldPause, waitWhilePaused, onProgress: publish, slots };
    const done = scope
      .run(() => runStage(stage, ctx))
      .then(
        (outcome) => {
          if (outcome.kind === 'paused') return;
          st.finishedAt = new Date().toISOString();
          if (outcome.kind === 'skipped') {
            st.status = 'skipped';
            st.reason = outcome.reason;
          } else {
            st.status = 'succeeded';
            st.outputs = outcome.outputs;
            measureByActivity(st, outcome.timing, outcome.lastItemFinishedAt);
            if (outcome.cached) st.reused = { from: 'cache', ...outcome.cached };
          }
        },
        (err) => {
          st.finishedAt = new Date().toISOString();
          if (isCancellation(err) && (failed || CancellationScope.current().consideredCancelled)) {
            st.status = 'cancelled';
            return;
          }
          st.status = 'failed';
          st.error = describeFailure(err);
          if (!failed) {
            failed = { stage: stage.id, message: st.error };
            stageScope.cancel();
          }
        },
      )
      .finally(() => {
        inFlight.delete(stage.id);
        publish();
        stageEnds?.notify();
      });
    inFlight.set(stage.id, done);
  };

  const hasStatusStages = plan.stages.some((s) => s.whenChecksStatus);
  publish();
  for (;;) {
    const stopping = failed !== undefined || root.consideredCancelled;
    if (!stopping && !shouldPause() && !state.paused) {
      let launched = true;
      while (launched) {
        launched = false;
        stagesScope.sync();
        for (const stage of readyStages(plan, state, new Set(inFlight.keys()))) {
          launch(stage);
          launched = true;
        }
        // A skipped stage finishes synchronously and may unblock (skip) its dependants.
        if (inFlight.size > 0) break;
      }
      publish();
    } else if (stopping && inFlight.size === 0 && hasStatusStages && patched(PATCHES.statusWhen)) {
      // The run failed or is cancelled and its running stages have stopped: of the rest, only
      // stages whose `when` checks status (notify, clean up) still run.
      for (const s of plan.stages) if (!s.whenChecksStatus && state.stages[s.id].status === 'pending') state.stages[s.id].status = 'cancelled';
      cleanupScope ??= new CancellationScope({ cancellable: false });
      stagesScope.sync();
      for (const stage of readyStages(plan, state, new Set())) launch(stage, cleanupScope);
      publish();
    }
    if (state.paused && !stopping && !pausing) {
      // Wake on resume as well as on a stage finishing; a cancel ends the wait (and the run).
      await Promise.race(stageEnds ? [stageEnds.next(), untilResumed()] : [...inFlight.values(), untilResumed()]).catch((err) => {
        if (!isCancellation(err)) throw err;
      });
      continue;
    }
    if (inFlight.size === 0) break;
    await (stageEnds ? stageEnds.next() : Promise.race(inFlight.values()));
  }

  // The outcome, for the Web UI's list (search attribute) and the run's page (memo).
  const finish = (): void => {
    state.summary = summarizeRun(plan, state);
    if (patched(PATCHES.outcome)) {
      upsertSearchAttributes([{ key: PIPELINE_OUTCOME, value: state.summary.outcome }]);
      upsertMemo({ outcome: state.summary.outcome, summary: state.summary });
    }
    publish();
  };

  if (failed) {
    markUnstarted(state, 'cancelled');
    state.status = 'failed';
    state.error = `stage '${failed.stage}' failed: ${failed.message}`;
    finish();
    throw ApplicationFailure.nonRetryable(state.error, 'StageFailed', { stage: failed.stage, state: stateIfItFits(state) });
  }
  if (root.consideredCancelled) {
    markUnstarted(state, 'cancelled');
    state.status = 'cancelled';
    finish();
    throw new CancelledFailure('pipeline cancelled');
  }
  if (pausing && Object.values(state.stages).some((s) => s.status === 'pending' || s.status === 'running')) {
    state.continuedAsNew++;
    const next = { ...input, logicalDate, carried: state };
    const problem = carryProblem(next);
    if (!problem) await continueWith(next);
    state.continuedAsNew--;
    for (const s of Object.values(state.stages)) if (s.status === 'pending' || s.status === 'running') s.status = 'cancelled';
    state.status = 'failed';
    state.error = problem;
    finish();
    throw ApplicationFailure.nonRetryable(problem!, 'RunStateTooLarge');
  }
  state.status = 'succeeded';
  finish();
  return state;
}

/**
 * The workflow notices an activity's end when it next runs, which after a Reset or a worker outage
 * can be long after the fact; and a stage in flight at a reset point runs again in a new attempt.
 * So a stage is measured by its activity's own clock: the end always, the start too when the
 * first attempt succeeded (with retries, the stage started when its first attempt was scheduled).
 */
function measureByActivity(st: StageState, timing?: AttemptTiming, lastItemFinishedAt?: number): void {
  const end = timing?.finishedAt ?? lastItemFinishedAt;
  if (end === undefined) return;
  if (timing?.attempt === 1) st.startedAt = new Date(timing.startedAt).toISOString();
  const start = st.startedAt ? Date.parse(st.startedAt) : end;
  st.finishedAt = new Date(Math.max(end, start)).toISOString();
}

/** Stages given as reused start out succeeded, with the earlier run's outputs. */
function withReused(state: RunState, reuse: PipelineInput['reuse']): RunState {
  for (const [id, r] of Object.entries(reuse ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(state.stages, id)) continue;
    state.stages[id] = {
      status: 'succeeded',
      outputs: r.outputs,
      reused: { from: 'rerun', workflowId: r.workflowId, ...(r.runId ? { runId: r.runId } : {}) },
      ...(r.startedAt ? { startedAt: r.startedAt } : {}),
      ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    };
  }
  return state;
}

function markUnstarted(state: RunState, status: 'cancelled'): void {
  for (const s of Object.values(state.stages)) if (s.status === 'pending') s.status = status;
}
