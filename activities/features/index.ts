// The features activities, wired to the kline store in Redis, the Binance backfill (for
// `backfillMissing: true`) and the data directory.
import type { ActivityFn } from '../context';
import type { ActivityDeps } from '../deps';
import { backfillKlines } from '../binance/backfill';
import { KlineStore } from '../binance/kline-store';
import { createFeaturesBuild, type EnsureKlines } from './build-activity';

export interface FeaturesActivityDeps extends ActivityDeps {
  /** Replaces the Binance backfill (tests). */
  ensureKlines?: EnsureKlines;
}

export function createFeaturesActivities(deps: FeaturesActivityDeps): Record<string, ActivityFn> {
  // The backfill shares the stage's context: its heartbeats carry a job key, so a retry of this
  // stage never mistakes our heartbeats for its resume point.
  const backfill: EnsureKlines = (symbol, interval, from, to, ctx) => backfillKlines({ symbol, interval, from, to }, ctx, { redis: deps.redis, config: deps.config });
  return {
    'features.build': createFeaturesBuild({ klines: new KlineStore(deps.redis), dataDir: deps.config.dataDir, ensureKlines: deps.ensureKlines ?? backfill }),
  };
}
