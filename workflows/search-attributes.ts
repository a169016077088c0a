// Search attributes that make pipeline runs findable in the Web UI (registered on the dev
// server at start: `--search-attribute Pipeline=Keyword ...`).
import { defineSearchAttributeKey } from '@temporalio/common';

export const PIPELINE = defineSearchAttributeKey('Pipeline', 'KEYWORD');
export const PIPELINE_STAGE = defineSearchAttributeKey('PipelineStage', 'KEYWORD');
export const PLAN_HASH = defineSearchAttributeKey('PlanHash', 'KEYWORD');

export const SEARCH_ATTRIBUTES = [PIPELINE, PIPELINE_STAGE, PLAN_HASH];
