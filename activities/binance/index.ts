// The binance domain's activities, and its library API for other domains and benchmarks.
import type Redis from 'ioredis';
import type { ActivityFn } from '../context';
import { backfillKlines, type BackfillInput } from './backfill';

export interface BinanceActivityDeps {
  redis: Redis;
  config: { binanceBaseUrl: string; binanceArchiveUrl?: string };
}

export function createBinanceActivities(deps: BinanceActivityDeps): Record<string, ActivityFn> {
  return {
    'binance.backfillKlines': (input: BackfillInput, ctx) => backfillKlines(input, ctx, deps),
  };
}

export { backfillKlines, validateBackfillInput } from './backfill';
export type { BackfillInput, BackfillResult, BackfillDeps, BackfillHeartbeat } from './backfill';
export { chunkRange, type KlineChunk } from './chunk-range';
export { KlineStore, type Coverage } from './kline-store';
export { createBinanceClient, type BinanceClient, type BinanceClientOptions, type KlinePage } from './client';
export { binanceSpecs, backfillKlinesSpec } from './specs';
