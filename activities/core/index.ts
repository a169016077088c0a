import type { ActivityFn } from '../context';

class StageTestError extends Error {
  constructor(message: string, type: string) {
    super(message);
    this.name = type;
  }
}

export const echo: ActivityFn<{ message?: string; value?: unknown }, { message?: string; value?: unknown }> = async (input) => ({
  message: input.message,
  value: input.value,
});

export const sleep: ActivityFn<{ ms: number; ignoreCancel?: boolean; checkSignal?: boolean }, { startedAt: number; finishedAt: number }> = async ({ ms, ignoreCancel, checkSignal = true }, ctx) => {
  const startedAt = Date.now();
  while (Date.now() - startedAt < ms) {
    // ignoreCancel: an activity that does not cooperate (no signal checks, no heartbeats).
    if (!ignoreCancel) {
      if (checkSignal && ctx.signal.aborted) throw new Error('cancelled');
      ctx.heartbeat({ elapsed: Date.now() - startedAt });
    }
    await new Promise((r) => setTimeout(r, Math.min(200, ms - (Date.now() - startedAt))));
  }
  return { startedAt, finishedAt: Date.now() };
};

export const fail: ActivityFn<{ message: string; failTimes?: number; errorType?: string }, { attempts: number }> = async (input, ctx) => {
  if (input.failTimes === undefined || ctx.attempt <= input.failTimes) {
    throw new StageTestError(`${input.message} (attempt ${ctx.attempt})`, input.errorType ?? 'StageTestError');
  }
  return { attempts: ctx.attempt };
};

export const noop: ActivityFn<unknown, Record<string, never>> = async () => ({});

export function createCoreActivities(): Record<string, ActivityFn> {
  return { 'core.echo': echo, 'core.sleep': sleep, 'core.fail': fail, 'core.noop': noop };
}
