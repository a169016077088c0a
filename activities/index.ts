// Every activity type the worker registers, by the name pipelines `use`.
import type { ActivityFn } from './context';
import type { ActivityDeps } from './deps';
import { catalog } from './catalog';
import { confinePathInputs, pathRoots } from './paths';
import { createCoreActivities } from './core';
import { createLoadPipelineActivity } from './core/load-pipeline';
import { createCacheLookup } from './core/stage-cache';
import { backfillStillStored } from './binance/cache-check';
import { createBinanceActivities } from './binance';
import { planBackfill } from './binance/plan-backfill';
import { createTradesActivities } from './trades';
import { createLabelsActivities } from './labels';
import { createFeaturesActivities } from './features';
import { createTrainingActivities } from './training';
import { createKlinesActivities } from './klines';
import { createShadowActivities } from './shadow';
import { createFundingActivities } from './funding';

/**
 * Registered for the workflows' own use, not for pipelines to `use` (so not in the catalog).
 * test/activities/registry.test.ts checks: registered = catalog + these.
 */
export const INTERNAL_ACTIVITY_TYPES = ['core.loadPipeline', 'core.cacheLookup'] as const;

export function createActivities(deps: ActivityDeps): Record<string, ActivityFn> {
  return confinePathInputs(allActivities(deps), catalog, pathRoots(deps.config));
}

function allActivities(deps: ActivityDeps): Record<string, ActivityFn> {
  return {
    ...createCoreActivities(),
    ...createLoadPipelineActivity(deps),
    'core.cacheLookup': createCacheLookup(deps.redis, new Map([['binance.backfillKlines', backfillStillStored]])),
    ...createBinanceActivities(deps),
    'binance.planBackfill': planBackfill,
    ...createTradesActivities(deps),
    ...createLabelsActivities(deps),
    ...createFeaturesActivities(deps),
    ...createTrainingActivities(deps),
    ...createKlinesActivities(deps),
    ...createShadowActivities(deps),
    ...createFundingActivities(deps),
  };
}
