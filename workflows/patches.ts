// Patch ids: each marks a change to the commands the interpreter sends, taken with `patched(id)`
// so that runs recorded before it replay unchanged (see docs/architecture.md).
export const PATCHES = {
  /** The PipelineOutcome search attribute and the outcome memo, at the end of a run. */
  outcome: 'pipeline-outcome',
  /** Stages whose `when` calls always()/failure()/cancelled() run after a failure or a cancel. */
  statusWhen: 'when-status-functions',
  /** A `cache: true` stage asks the stage cache (a local activity) before it runs. */
  stageCache: 'stage-cache',
  /** At most MAX_ACTIVITIES_IN_FLIGHT activities of a run are scheduled at a time (activity-slots.ts). */
  activitySlots: 'activity-slots',
  /** The main loop waits on one signal for the next stage end, not on a race over every running stage. */
  stageEndSignal: 'stage-end-signal',
} as const;
