// Search attributes that make pipeline runs findable in the Web UI. Every place that starts a
// Temporal server or checks one registers this list (stack/services.ts, the test global setup,
// stack/dev-engine.ts, and the worker at start: runtime/search-attributes.ts).
import { defineSearchAttributeKey } from '@temporalio/common';

export const PIPELINE = defineSearchAttributeKey('Pipeline', 'KEYWORD');
export const PIPELINE_STAGE = defineSearchAttributeKey('PipelineStage', 'KEYWORD');
export const PLAN_HASH = defineSearchAttributeKey('PlanHash', 'KEYWORD');
/** What the run came to: published | gate-failed | nothing-published | succeeded | failed | cancelled (workflows/run-summary.ts). */
export const PIPELINE_OUTCOME = defineSearchAttributeKey('PipelineOutcome', 'KEYWORD');

export const SEARCH_ATTRIBUTES = [PIPELINE, PIPELINE_STAGE, PLAN_HASH, PIPELINE_OUTCOME];
