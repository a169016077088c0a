import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RunState } from './run-state';

/** The run's stage-by-stage state (`client status <id>`). */
export const statusQuery = defineQuery<RunState>('status');

/** What `pause` and `resume` answer: whether the run is now paused, and what is still running. */
export interface PauseState {
  paused: boolean;
  /** Stages still running: they finish (a fan-out finishes the items it has started). */
  running: string[];
  reason?: string;
}

/** No new stage (or fan-out item) starts until `resume`; running ones finish. Idempotent. */
export const pauseUpdate = defineUpdate<PauseState, [reason: string | null]>('pause');
/** Undoes `pause`. Idempotent. */
export const resumeUpdate = defineUpdate<PauseState, []>('resume');
