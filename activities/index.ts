// Every activity type the worker registers, by the name pipelines `use`.
import type { ActivityFn } from './context';
import type { ActivityDeps } from './deps';
import { createCoreActivities } from './core';
import { createLoadPipelineActivity } from './core/load-pipeline';

export function createActivities(deps: ActivityDeps): Record<string, ActivityFn> {
  return {
    ...createCoreActivities(),
    ...createLoadPipelineActivity(deps),
  };
}
