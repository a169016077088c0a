// The only view of Temporal an activity gets. Activities are plain async functions
// `(input, ctx) => Promise<output>`; worker.ts adapts them to Temporal (see temporal-adapter.ts),
// and tests call them directly with `localContext()`.
export interface ActivityContext {
  /** Records progress; on Temporal this is a heartbeat whose details a retry resumes from. */
  heartbeat(details?: unknown): void;
  /** Details of the last heartbeat of a previous attempt, if any. */
  resumeDetails<T>(): T | undefined;
  /** Aborted when the run is cancelled (delivered through heartbeats on Temporal). */
  signal: AbortSignal;
  /** 1 on the first attempt. */
  attempt: number;
  log(message: string, fields?: Record<string, unknown>): void;
  /** The workflow this activity runs for (undefined outside Temporal): recorded in run artefacts. */
  workflow?: WorkflowRef;
}

export interface WorkflowRef {
  namespace: string;
  workflowId: string;
  /** Temporal's run id of the execution that scheduled the activity (continue-as-new changes it). */
  runId: string;
  workflowType: string;
}

export type ActivityFn<I = any, O = any> = (input: I, ctx: ActivityContext) => Promise<O>;

/** A context for calling an activity outside Temporal (tests, benchmarks, scripts). */
export function localContext(opts: { resume?: unknown; onHeartbeat?: (d: unknown) => void; signal?: AbortSignal; quiet?: boolean; workflow?: WorkflowRef } = {}): ActivityContext & { heartbeats: unknown[] } {
  const heartbeats: unknown[] = [];
  return {
    heartbeats,
    workflow: opts.workflow,
    heartbeat(details) {
      heartbeats.push(details);
      opts.onHeartbeat?.(details);
    },
    resumeDetails<T>() {
      return opts.resume as T | undefined;
    },
    signal: opts.signal ?? new AbortController().signal,
    attempt: 1,
    log(message, fields) {
      if (!opts.quiet) console.log(message, fields ?? '');
    },
  };
}
