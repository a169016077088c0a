// binance.backfillKlines: fetches what Redis lacks of [from, to] and stores it. The store's
// coverage (stored bars + recorded exchange gaps) is the source of truth for what is done, and
// each page is written and its gaps recorded before the heartbeat, so a retried attempt resumes
// where the last one stopped: only pages in flight at the crash are fetched again.
import type Redis from 'ioredis';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';
import { INTERVAL_MS } from './kline';
import { KlineStore } from './kline-store';
import { createBinanceClient, type BinanceClient, type BinanceClientOptions } from './client';
import { barsIn, mergeRanges, splitRanges, type Range } from './ranges';
import { parseTimeInput } from './time-input';

export interface BackfillInput {
  symbol: string;
  interval: string;
  from: number | string;
  to: number | string;
  chunk?: number;
  concurrency?: number;
}

export interface BackfillDeps {
  redis: Redis;
  config: { binanceBaseUrl: string };
  /** A ready client (tests, benchmarks); otherwise one is made for config.binanceBaseUrl. */
  client?: BinanceClient;
  clientOptions?: Partial<BinanceClientOptions>;
  /** Bars per independently paged segment of a missing range (default 20,000). */
  segmentBars?: number;
}

export interface BackfillCounts {
  fetched: number;
  written: number;
  unchanged: number;
  pages: number;
}

export interface BackfillHeartbeat {
  /** Every open time before cursor in [from, to] is stored or a known gap. */
  cursor: number;
  counts: BackfillCounts;
  key: string;
}

export interface BackfillResult extends BackfillCounts {
  symbol: string;
  interval: string;
  chunk?: number;
  from: string;
  to: string;
  /** Bars already stored when the run started (not fetched). */
  skipped: number;
  /** Known exchange gaps in [from, to] (first 50), their total count and bars. */
  gaps: { from: string; to: string; bars: number }[];
  gapCount: number;
  gapBars: number;
  /** Bars still neither stored nor known gaps (not closed yet, i.e. after the exchange's now). */
  missing: number;
  complete: boolean;
  storeKey: string;
}

const iso = (t: number) => new Date(t).toISOString();

export function validateBackfillInput(input: BackfillInput): { symbol: string; interval: string; I: number; from: number; to: number } {
  if (!input || typeof input !== 'object') throw new InvalidInputError('input must be an object');
  const { symbol, interval } = input;
  if (typeof symbol !== 'string' || !/^[A-Z0-9]{5,20}$/.test(symbol)) throw new InvalidInputError(`symbol must match ^[A-Z0-9]{5,20}$, got ${JSON.stringify(symbol)}`);
  const I = INTERVAL_MS[interval];
  if (!I) throw new InvalidInputError(`unknown interval ${JSON.stringify(interval)}; one of ${Object.keys(INTERVAL_MS).join(', ')}`);
  const from = parseTimeInput(input.from, 'from');
  const to = parseTimeInput(input.to, 'to');
  if (from > to) throw new InvalidInputError(`from (${iso(from)}) is after to (${iso(to)})`);
  return { symbol, interval, I, from, to };
}

export async function backfillKlines(input: BackfillInput, ctx: ActivityContext, deps: BackfillDeps): Promise<BackfillResult> {
  const { symbol, interval, I, from, to } = validateBackfillInput(input);
  const store = new KlineStore(deps.redis);
  const storeKey = store.key(symbol, interval);
  const jobKey = `${storeKey}:${from}:${to}`;
  const before = await store.coverage(symbol, interval, from, to);
  const skipped = before.present.reduce((n, r) => n + barsIn(r, I), 0);

  const resumed = ctx.resumeDetails<BackfillHeartbeat>();
  const counts: BackfillCounts = resumed?.key === jobKey ? { ...resumed.counts } : { fetched: 0, written: 0, unchanged: 0, pages: 0 };
  if (resumed?.key === jobKey) ctx.log('binance.backfillKlines resuming', { cursor: iso(resumed.cursor), counts });

  const stop = new AbortController();
  const onCancel = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onCancel, { once: true });
  const client =
    deps.client ??
    createBinanceClient({ baseUrl: deps.config.binanceBaseUrl, signal: stop.signal, log: (m, f) => ctx.log(m, f), ...deps.clientOptions });

  const segments = splitRanges(before.missing, I, deps.segmentBars ?? 20_000);
  // Per segment, the first open time not yet done (Infinity when done): the heartbeat cursor.
  const progress = segments.map((s) => s[0]);
  const newGaps: Range[] = [];
  let nextSegment = 0;

  const lane = async () => {
    while (!stop.signal.aborted && nextSegment < segments.length) {
      const i = nextSegment++;
      const [a, b] = segments[i];
      for await (const page of client.pageKlines(symbol, interval, a, b)) {
        if (stop.signal.aborted) return;
        const w = await store.upsert(symbol, interval, page.klines);
        await store.recordGaps(symbol, interval, page.gaps);
        newGaps.push(...page.gaps);
        counts.fetched += page.klines.length;
        counts.written += w.written;
        counts.unchanged += w.unchanged;
        counts.pages++;
        progress[i] = page.next === undefined ? Infinity : page.knownTo + I;
        const cursor = Math.min(...progress.slice(0, nextSegment), segments[nextSegment]?.[0] ?? Infinity);
        ctx.heartbeat({ cursor: Number.isFinite(cursor) ? cursor : to, counts: { ...counts }, key: jobKey } satisfies BackfillHeartbeat);
      }
    }
  };

  const concurrency = Math.max(1, Math.min(8, input.concurrency ?? 4));
  let firstError: unknown;
  await Promise.allSettled(
    Array.from({ length: Math.min(concurrency, segments.length) }, () =>
      lane().catch((e) => {
        // The first failure is the cause; the other lanes then fail with the abort it triggers.
        if (firstError === undefined) firstError = e;
        stop.abort(e);
      }),
    ),
  );
  ctx.signal.removeEventListener('abort', onCancel);
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('binance.backfillKlines cancelled');
  if (firstError !== undefined) throw firstError;

  const after = await store.coverage(symbol, interval, from, to);
  const gaps = mergeRanges([...after.gaps, ...newGaps.filter((g) => g[1] >= from && g[0] <= to)], I);
  const result: BackfillResult = {
    symbol,
    interval,
    ...(input.chunk !== undefined ? { chunk: input.chunk } : {}),
    from: iso(from),
    to: iso(to),
    ...counts,
    skipped,
    gaps: gaps.slice(0, 50).map((g) => ({ from: iso(g[0]), to: iso(g[1]), bars: barsIn(g, I) })),
    gapCount: gaps.length,
    gapBars: gaps.reduce((n, g) => n + barsIn(g, I), 0),
    missing: after.missing.reduce((n, r) => n + barsIn(r, I), 0),
    complete: after.missing.length === 0,
    storeKey,
  };
  ctx.log('binance.backfillKlines done', { ...result, gaps: undefined });
  return result;
}
