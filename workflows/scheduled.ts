// A scheduled run loads and compiles its pipeline file when it starts (the result is recorded
// in its history), so an edit to the YAML takes effect at the next scheduled run and never
// changes a run already started. A long run continues as new as itself (a scheduledPipeline of
// the same file), carrying the plan it loaded and its progress.
import { continueAsNew, proxyActivities, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { PIPELINE, PLAN_HASH } from './search-attributes';
import type { Plan } from '../dsl/plan';
import { runPipeline, type PipelineInput } from './pipeline';
import type { RunState } from './run-state';

export interface ScheduledPipelineInput {
  /** Pipeline file, relative to the worker's pipelines folder. */
  file: string;
  params?: Record<string, unknown>;
  /** Continue as new past this many history events (tests); otherwise when the server suggests. */
  maxHistoryEvents?: number;
  /** Set by continue-as-new: the run so far, with the plan its first run loaded. */
  continued?: PipelineInput;
}

const { 'core.loadPipeline': loadPipeline } = proxyActivities<{
  'core.loadPipeline'(input: ScheduledPipelineInput): Promise<{ plan: Plan; params: Record<string, unknown> }>;
}>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['PipelineInvalid'] } });

export async function scheduledPipeline(input: ScheduledPipelineInput): Promise<RunState> {
  const continueWith = (next: PipelineInput): Promise<never> =>
    continueAsNew<typeof scheduledPipeline>({ file: input.file, ...(input.params ? { params: input.params } : {}), continued: next });
  if (input.continued) return runPipeline(input.continued, continueWith);
  const { plan, params } = await loadPipeline(input);
  // The schedule was created from an older compile of the file: show what this run runs.
  upsertSearchAttributes([{ key: PIPELINE, value: plan.name }, { key: PLAN_HASH, value: plan.hash }]);
  upsertMemo({ pipeline: plan.name, planHash: plan.hash });
  return runPipeline({ plan, params, ...(input.maxHistoryEvents !== undefined ? { maxHistoryEvents: input.maxHistoryEvents } : {}) }, continueWith);
}
