// Whether a cached backfill result still describes the store: a hit must not hide bars that were
// deleted since (a flushed or trimmed store) nor bars that have closed since an incomplete run.
import type Redis from 'ioredis';
import type { BackfillResult } from './backfill';
import { INTERVAL_MS } from './kline';
import { KlineStore } from './kline-store';
import { barsIn } from './ranges';

/** Why the cached outputs of binance.backfillKlines no longer hold, or null when they do. */
export async function backfillStillStored(outputs: unknown, redis: Redis): Promise<string | null> {
  const o = outputs as Partial<BackfillResult>;
  if (o.complete !== true) return `the cached run was incomplete (${o.missing ?? '?'} bars not closed yet)`;
  const I = INTERVAL_MS[o.interval ?? ''];
  if (!o.symbol || !I || !o.from || !o.to) return 'the cached outputs do not name a symbol, interval and range';
  const coverage = await new KlineStore(redis).coverage(o.symbol, o.interval!, Date.parse(o.from), Date.parse(o.to));
  const lost = coverage.missing.reduce((n, r) => n + barsIn(r, I), 0);
  return lost > 0 ? `${lost} bars of ${o.symbol} ${o.interval} in ${o.from}..${o.to} are no longer in the store` : null;
}
