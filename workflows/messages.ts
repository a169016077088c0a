import { defineQuery } from '@temporalio/workflow';
import type { RunState } from './run-state';

/** The run's stage-by-stage state (`client status <id>`). */
export const statusQuery = defineQuery<RunState>('status');
