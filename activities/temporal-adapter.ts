// The one place activities meet Temporal: each plain `(input, ctx)` function becomes a Temporal
// activity whose context is the current activity's (heartbeats, resume details, cancellation),
// and whose NonRetryableErrors become non-retryable ApplicationFailures. Other errors keep their
// `name` as the failure type, which a stage's `retry.nonRetryable` can list.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityContext, ActivityFn } from './context';
import { NonRetryableError } from './errors';

function temporalContext(): ActivityContext {
  const c = Context.current();
  return {
    heartbeat: (details) => c.heartbeat(details),
    resumeDetails: <T>() => c.info.heartbeatDetails as T | undefined,
    signal: c.cancellationSignal,
    attempt: c.info.attempt,
    log: (message, fields) => c.log.info(message, fields),
    workflow: c.info.workflowExecution && {
      namespace: c.info.namespace,
      workflowId: c.info.workflowExecution.workflowId,
      runId: c.info.workflowExecution.runId,
      workflowType: c.info.workflowType ?? '',
    },
  };
}

export function toTemporalActivity(fn: ActivityFn): (input: unknown) => Promise<unknown> {
  return async (input) => {
    try {
      return await fn(input, temporalContext());
    } catch (err) {
      if (err instanceof NonRetryableError) {
        throw ApplicationFailure.create({
          message: err.message,
          type: err.code,
          nonRetryable: true,
          details: err.details === undefined ? undefined : [err.details],
        });
      }
      if (err instanceof Error && !(err instanceof ApplicationFailure) && err.name !== 'Error') {
        // Temporal would type the failure by the error's class; a stage's retry.nonRetryable
        // names error types, and domain errors set `name`.
        throw ApplicationFailure.create({ message: err.message, type: err.name, cause: err });
      }
      throw err;
    }
  };
}

export function toTemporalActivities(fns: Record<string, ActivityFn>): Record<string, (input: unknown) => Promise<unknown>> {
  return Object.fromEntries(Object.entries(fns).map(([name, fn]) => [name, toTemporalActivity(fn)]));
}
