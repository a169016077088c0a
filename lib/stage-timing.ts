// When an activity attempt ran, by the worker's clock: the Temporal adapter adds it to an object
// result under TIMING_KEY, and the interpreter takes it off again. Stage durations then come from
// the activity itself, not from when the workflow noticed its end: after a Reset (or a worker
// outage) the workflow processes a completion much later than it happened, and a stage that was
// in flight at a reset point runs again in a new attempt.
export const TIMING_KEY = '@timing';

export interface AttemptTiming {
  /** ms since epoch */
  startedAt: number;
  finishedAt: number;
  attempt: number;
}

/** The result without its timing, and the timing if it had one. */
export function takeTiming(result: unknown): { output: unknown; timing?: AttemptTiming } {
  if (typeof result !== 'object' || result === null || Array.isArray(result) || !Object.prototype.hasOwnProperty.call(result, TIMING_KEY)) return { output: result };
  const { [TIMING_KEY]: timing, ...output } = result as Record<string, unknown>;
  const t = timing as Partial<AttemptTiming> | undefined;
  if (!t || typeof t.startedAt !== 'number' || typeof t.finishedAt !== 'number' || typeof t.attempt !== 'number') return { output };
  return { output, timing: { startedAt: t.startedAt, finishedAt: t.finishedAt, attempt: t.attempt } };
}

/** The result with its timing, for object results only (lists and scalars stay as they are). */
export function withTiming(result: unknown, timing: AttemptTiming): unknown {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return result;
  return { ...(result as Record<string, unknown>), [TIMING_KEY]: timing };
}
