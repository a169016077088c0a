// The features activities, wired to the kline store in Redis and the data directory.
import type { ActivityFn } from '../context';
import type { ActivityDeps } from '../deps';
import { KlineStore } from '../binance/kline-store';
import { createFeaturesBuild, type EnsureKlines } from './build-activity';

export interface FeaturesActivityDeps extends ActivityDeps {
  /**
   * Backfills missing bars for `backfillMissing: true`. Injection point for backfillKlines from
   * activities/binance/backfill.ts; without it, missing bars only make samples drop with a reason.
   */
  ensureKlines?: EnsureKlines;
}

export function createFeaturesActivities(deps: FeaturesActivityDeps): Record<string, ActivityFn> {
  return {
    'features.build': createFeaturesBuild({ klines: new KlineStore(deps.redis), dataDir: deps.config.dataDir, ensureKlines: deps.ensureKlines }),
  };
}
