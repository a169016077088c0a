// binance.backfillKlines: fetches what Redis lacks of [from, to] and stores it. The store's
// coverage (stored bars + recorded exchange gaps) is the source of truth for what is done, and
// each archive or page is written and its gaps recorded before the heartbeat, so a retried attempt
// resumes where the last one stopped: only archives or pages in flight at the crash are fetched
// again. Bulk archives first (data.binance.vision: a monthly zip per whole past month, daily zips
// for other past days; a monthly one that is unavailable is replaced by its daily ones), then REST
// for everything still missing: today, archives missing (404) or failing their checksum, and the
// holes of short archives — REST records the exchange's gaps, so gaps are the same either way.
// An archive's holes (and a daily archive that is unavailable) are taken over REST at once, before
// the heartbeat that counts the archive: a crash later does not fetch that archive again.
import type Redis from 'ioredis';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';
import { INTERVAL_MS } from './kline';
import { KlineStore, type Coverage } from './kline-store';
import { createBinanceClient, type BinanceClient, type BinanceClientOptions } from './client';
import { archiveBaseUrl, createArchiveClient, type ArchiveClient } from './archive-client';
import { dailyUnitsOf, planArchives, type ArchiveUnit } from './archive-plan';
import { barsIn, mergeRanges, splitRanges, type Range } from './ranges';
import { parseTimeInput } from './time-input';

export interface BackfillInput {
  symbol: string;
  interval: string;
  from: number | string;
  to: number | string;
  chunk?: number;
  /** Archives (or pages) in flight at once. */
  concurrency?: number;
  /** Use the bulk archives for past days (default true); false: REST only. */
  archives?: boolean;
}

export interface BackfillDeps {
  redis: Redis;
  config: { binanceBaseUrl: string; binanceArchiveUrl?: string };
  /** A ready client (tests, benchmarks); otherwise one is made for config.binanceBaseUrl. */
  client?: BinanceClient;
  archiveClient?: ArchiveClient;
  /** The clock that decides which days are past (default Date.now). */
  now?: () => number;
  clientOptions?: Partial<BinanceClientOptions>;
  /** Bars per independently paged segment of a missing range (default 20,000). */
  segmentBars?: number;
}

export interface BackfillCounts {
  fetched: number;
  written: number;
  unchanged: number;
  /** REST pages. */
  pages: number;
  /** Archive files used. */
  archives: number;
  /** Archives that were unavailable (404, checksum, unreadable) and taken another way. */
  archiveFallbacks: number;
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
  // Aborted when the job ends, however it ends: nothing it started (an early clock read, its
  // retries and their log lines) outlives it.
  const stop = new AbortController();
  try {
    return await backfill(input, ctx, deps, stop);
  } finally {
    stop.abort(new Error('binance.backfillKlines ended'));
  }
}

async function backfill(input: BackfillInput, ctx: ActivityContext, deps: BackfillDeps, stop: AbortController): Promise<BackfillResult> {
  const { symbol, interval, I, from, to } = validateBackfillInput(input);
  const store = new KlineStore(deps.redis);
  const storeKey = store.key(symbol, interval);
  const jobKey = `${storeKey}:${from}:${to}`;
  const before = await store.coverage(symbol, interval, from, to);
  const skipped = before.present.reduce((n, r) => n + barsIn(r, I), 0);

  const resumed = ctx.resumeDetails<BackfillHeartbeat>();
  const zero: BackfillCounts = { fetched: 0, written: 0, unchanged: 0, pages: 0, archives: 0, archiveFallbacks: 0 };
  const counts: BackfillCounts = resumed?.key === jobKey ? { ...zero, ...resumed.counts } : zero;
  if (resumed?.key === jobKey) ctx.log('binance.backfillKlines resuming', { cursor: iso(resumed.cursor), counts });

  const onCancel = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onCancel, { once: true });
  const client =
    deps.client ??
    createBinanceClient({ baseUrl: deps.config.binanceBaseUrl, signal: stop.signal, log: (m, f) => ctx.log(m, f), ...deps.clientOptions });

  // Each attempt reads the exchange's clock afresh before its first REST page (a retry may run
  // hours later, on another machine, with a client kept from before): it decides which bars are
  // closed. Archives need no clock: the host serves only periods that are over, and spends no weight.
  let clockSynced: Promise<unknown> | undefined;
  const syncClockOnce = () =>
    (clockSynced ??= client.syncClock().catch((e) => {
      clockSynced = undefined; // a failed early read (see below) is not the answer: the first page reads again
      throw e;
    }));
  const newGaps: Range[] = [];
  /** Pages [a, b] over REST, each page stored and its gaps recorded before `onPage`. */
  const restPages = async (a: number, b: number, onPage: (page: { next?: number; knownTo: number }) => void) => {
    await syncClockOnce();
    for await (const page of client.pageKlines(symbol, interval, a, b)) {
      if (stop.signal.aborted) return;
      const w = await store.upsert(symbol, interval, page.klines);
      await store.recordGaps(symbol, interval, page.gaps);
      newGaps.push(...page.gaps);
      counts.fetched += page.klines.length;
      counts.written += w.written;
      counts.unchanged += w.unchanged;
      counts.pages++;
      onPage(page);
    }
  };

  const concurrency = Math.max(1, Math.min(8, input.concurrency ?? 4));
  let missing = before.missing;
  /** The last coverage read, while nothing has been written since. */
  let latest: Coverage = before;
  if (input.archives !== false && missing.length > 0) {
    const archives =
      deps.archiveClient ??
      createArchiveClient({ baseUrl: archiveBaseUrl(deps.config.binanceBaseUrl, deps.config.binanceArchiveUrl), signal: stop.signal, log: (m, f) => ctx.log(m, f) });
    // With a client of its own (aborted with `stop`), the job reads the clock beside its first
    // archive downloads, so a short archive's hole waits for no extra round trip before its first
    // page. It costs one /api/v3/time (weight 1) per job even when no page follows.
    if (!deps.client) syncClockOnce().catch(() => {});
    const heartbeat = (cursor: number) => ctx.heartbeat({ cursor: Math.max(from, Math.min(cursor, to)), counts: { ...counts }, key: jobKey } satisfies BackfillHeartbeat);
    try {
      // An archive's holes are independent ranges: paged side by side (the budget paces them all).
      const restFill = (ranges: Range[], beat: () => void) =>
        eachLimited(ranges, concurrency, ([a, b]) => restPages(a, b, beat));
      await fromArchives({ symbol, interval, I, missing, now: (deps.now ?? Date.now)(), concurrency, store, archives, counts, heartbeat, restFill, signal: stop.signal });
    } catch (e) {
      ctx.signal.removeEventListener('abort', onCancel);
      throw ctx.signal.aborted ? (ctx.signal.reason ?? e) : e;
    }
    if (ctx.signal.aborted) {
      ctx.signal.removeEventListener('abort', onCancel);
      throw ctx.signal.reason ?? new Error('binance.backfillKlines cancelled');
    }
    latest = await store.coverage(symbol, interval, from, to);
    missing = latest.missing;
  }

  const segments = splitRanges(missing, I, deps.segmentBars ?? 20_000);
  // Per segment, the first open time not yet done (Infinity when done): the heartbeat cursor.
  const progress = segments.map((s) => s[0]);
  let nextSegment = 0;

  const lane = async () => {
    while (!stop.signal.aborted && nextSegment < segments.length) {
      const i = nextSegment++;
      const [a, b] = segments[i];
      await restPages(a, b, (page) => {
        progress[i] = page.next === undefined ? Infinity : page.knownTo + I;
        const cursor = Math.min(...progress.slice(0, nextSegment), segments[nextSegment]?.[0] ?? Infinity);
        ctx.heartbeat({ cursor: Number.isFinite(cursor) ? cursor : to, counts: { ...counts }, key: jobKey } satisfies BackfillHeartbeat);
      });
    }
  };

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

  const after = (segments.length === 0 ? latest : undefined) ?? (await store.coverage(symbol, interval, from, to));
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

interface ArchivePhase {
  symbol: string;
  interval: string;
  I: number;
  missing: Range[];
  now: number;
  concurrency: number;
  store: KlineStore;
  archives: ArchiveClient;
  counts: BackfillCounts;
  heartbeat: (cursor: number) => void;
  /** Takes ranges over REST (each page stored, then `beat`). */
  restFill: (ranges: Range[], beat: () => void) => Promise<void>;
  signal: AbortSignal;
}

/**
 * Stores what the archives hold of `missing`, each archive written — and its holes, or a daily
 * archive that was unavailable, taken over REST — before the heartbeat that counts it. The cursor
 * stays at the first open time not yet stored: the start of the earliest archive still queued or
 * in flight (its REST pages included), or of what is left for REST afterwards (today).
 */
async function fromArchives(p: ArchivePhase): Promise<void> {
  const { units, rest } = planArchives(p.missing, p.I, p.now);
  const queue: ArchiveUnit[] = [...units];
  const inFlight = new Set<ArchiveUnit>();
  const unresolved = rest.length ? rest[0][0] : Infinity;
  const cursor = () => {
    let c = unresolved;
    for (const u of queue) c = Math.min(c, u.need[0][0]);
    for (const u of inFlight) c = Math.min(c, u.need[0][0]);
    return c;
  };
  const lane = async () => {
    while (!p.signal.aborted && queue.length > 0) {
      const u = queue.shift()!;
      inFlight.add(u);
      // Downloaded, decoded and written (by a decode thread) before the heartbeat that counts it.
      const r = await p.archives.fetchInto(p.store, p.symbol, p.interval, u);
      if (p.signal.aborted) return; // what was written stays (coverage is the truth), uncounted
      const beat = () => p.heartbeat(cursor());
      if (r.status === 'ok') {
        p.counts.fetched += r.stored.n;
        p.counts.written += r.stored.written;
        p.counts.unchanged += r.stored.unchanged;
        p.counts.archives++;
        if (r.stored.holes.length) await p.restFill(r.stored.holes, beat);
      } else {
        p.counts.archiveFallbacks++;
        if (u.kind === 'monthly') queue.unshift(...dailyUnitsOf(u, p.I));
        else await p.restFill(u.need, beat);
      }
      if (p.signal.aborted) return;
      inFlight.delete(u);
      p.heartbeat(cursor());
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(p.concurrency, queue.length) }, () =>
      lane().catch((e) => {
        queue.length = 0; // the other lanes stop after the archive they hold
        throw e;
      }),
    ),
  );
}

/** `work` over `items`, at most `n` at once; after a failure it starts no more, waits for those under way and throws the first. */
async function eachLimited<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (!failure && next < items.length) {
        try {
          await work(items[next++]);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw failure.error;
}
