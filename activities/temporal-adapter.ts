// The one place activities meet Temporal: each plain `(input, ctx)` function becomes a Temporal
// activity whose context is the current activity's (heartbeats, resume details, cancellation),
// and whose NonRetryableErrors become non-retryable ApplicationFailures. An output too large for
// Temporal fails at once too: every retry would make the same output. Other errors keep their
// `name` as the failure type, which a stage's `retry.nonRetryable` can list. With an activity
// log, each attempt's start, log lines, completion and failure are written there with the run's
// and the activity's ids (see activity-log.ts).
//
// Cancellation: once the run cancels an activity (the news arrives with a heartbeat's reply),
// `ctx.signal` aborts and the next `ctx.heartbeat()` throws, so any heartbeating activity stops
// within one heartbeat interval even if it never looks at the signal; whatever it then throws is
// reported as a cancellation. Stopped for another reason (the worker shutting down), it fails
// retryably instead, so the stage retries it on another worker from its last heartbeat.
//
// An object result also carries when the attempt ran (lib/stage-timing.ts): the interpreter takes
// it off and measures the stage by it.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure, TemporalFailure } from '@temporalio/common';
import type { ActivityContext, ActivityFn } from './context';
import { NonRetryableError } from './errors';
import type { ActivityLog, ActivityLogEntry } from './activity-log';
import { redactError, redactSecrets } from '../lib/redact';
import { withTiming } from '../lib/stage-timing';
import { jsonBytes, mebibytes, PAYLOAD_BUDGET_BYTES, PAYLOAD_LIMIT_BYTES } from '../lib/payload-size';

type Note = (event: string, msg: string, extra?: Partial<ActivityLogEntry>) => void;

function noteFor(c: Context, log: ActivityLog | undefined): Note {
  if (!log) return () => undefined;
  const { info } = c;
  return (event, msg, extra) =>
    log.write({
      ts: new Date().toISOString(),
      level: event === 'fail' ? 'error' : 'info',
      workflowId: info.workflowExecution?.workflowId ?? '',
      runId: info.workflowExecution?.runId ?? '',
      activityId: info.activityId,
      activityType: info.activityType,
      attempt: info.attempt,
      event,
      msg,
      ...extra,
    });
}

const cancelledByRun = (c: Context): boolean => !!(c.cancellationDetails?.cancelRequested || c.cancellationDetails?.notFound);

function stopped(c: Context): Error {
  if (cancelledByRun(c)) return new CancelledFailure('the run cancelled this activity');
  const why = c.cancellationDetails?.workerShutdown ? 'the worker is shutting down' : c.cancellationDetails?.timedOut ? 'it timed out' : 'it was cancelled';
  return ApplicationFailure.retryable(`activity stopped: ${why}`, 'ActivityStopped');
}

function temporalContext(c: Context, note: Note, secrets: string[]): ActivityContext {
  return {
    heartbeat: (details) => {
      if (c.cancellationSignal.aborted) throw stopped(c);
      c.heartbeat(details);
    },
    resumeDetails: <T>() => c.info.heartbeatDetails as T | undefined,
    signal: c.cancellationSignal,
    attempt: c.info.attempt,
    log: (raw, fields) => {
      const message = redactSecrets(raw, secrets);
      c.log.info(message, fields);
      note('log', message, fields ? { fields } : undefined);
    },
    workflow: c.info.workflowExecution && {
      namespace: c.info.namespace,
      workflowId: c.info.workflowExecution.workflowId,
      runId: c.info.workflowExecution.runId,
      workflowType: c.info.workflowType ?? '',
    },
  };
}

/** `secrets`: values (passwords, keys) masked in every failure message and log line. */
export function toTemporalActivity(fn: ActivityFn, log?: ActivityLog, secrets: string[] = []): (input: unknown) => Promise<unknown> {
  return async (input) => {
    const c = Context.current();
    const note = noteFor(c, log);
    const started = Date.now();
    note('start', `attempt ${c.info.attempt} started`);
    try {
      const out = await fn(input, temporalContext(c, note, secrets));
      const bytes = jsonBytes(out);
      if (bytes > PAYLOAD_BUDGET_BYTES) {
        throw new NonRetryableError(
          `its output is ${mebibytes(bytes)} of JSON, over the ${mebibytes(PAYLOAD_BUDGET_BYTES)} an activity result may have ` +
            `(Temporal refuses one past ${mebibytes(PAYLOAD_LIMIT_BYTES)}): ` +
            'a stage passes references (Redis keys, file paths, counts), not bulk data',
          'OutputTooLarge',
        );
      }
      const finished = Date.now();
      note('done', `completed in ${((finished - started) / 1000).toFixed(1)}s`, { ms: finished - started });
      return withTiming(out, { startedAt: started, finishedAt: finished, attempt: c.info.attempt });
    } catch (err) {
      // A failure message lands in the run's history, the activity log, the CLI and the Web UI.
      redactError(err, secrets);
      note('fail', `attempt ${c.info.attempt} failed after ${((Date.now() - started) / 1000).toFixed(1)}s: ${err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err)}`, { ms: Date.now() - started });
      if (c.cancellationSignal.aborted && cancelledByRun(c)) throw err instanceof CancelledFailure ? err : stopped(c);
      if (err instanceof NonRetryableError) {
        throw ApplicationFailure.create({
          message: err.message,
          type: err.code,
          nonRetryable: true,
          details: err.details === undefined ? undefined : [err.details],
        });
      }
      if (err instanceof Error && !(err instanceof TemporalFailure) && err.name !== 'Error') {
        // Temporal would type the failure by the error's class; a stage's retry.nonRetryable
        // names error types, and domain errors set `name`.
        throw ApplicationFailure.create({ message: err.message, type: err.name, cause: err });
      }
      throw err;
    }
  };
}

export function toTemporalActivities(fns: Record<string, ActivityFn>, log?: ActivityLog, secrets: string[] = []): Record<string, (input: unknown) => Promise<unknown>> {
  return Object.fromEntries(Object.entries(fns).map(([name, fn]) => [name, toTemporalActivity(fn, log, secrets)]));
}
