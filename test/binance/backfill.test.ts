import { beforeEach, describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis';
import { localContext } from '../../activities/context';
import { InvalidInputError } from '../../activities/errors';
import { KlineStore } from '../../activities/binance/kline-store';
import { backfillKlines, type BackfillHeartbeat } from '../../activities/binance/backfill';
import { chunkRange, chunkRangeByMonths, monthsForBars } from '../../activities/binance/chunk-range';
import { planBackfill } from '../../activities/binance/plan-backfill';
import { createBinanceActivities } from '../../activities/binance';
import { csvRange, t, useBinanceServer } from './support';

const redis = useRedis();
const ctx = useBinanceServer();
const deps = () => ({ redis: redis.client, config: { binanceBaseUrl: ctx.server.url } });
const quiet = (opts: Parameters<typeof localContext>[0] = {}) => localContext({ quiet: true, ...opts });

describe('binance.backfillKlines', () => {
  beforeEach(async () => {
    await redis.client.flushall();
    ctx.server.resetStats();
  });

  it('backfills a range with the real halt gap, then a re-run over the covered range makes no klines request', async () => {
    const input = { symbol: 'BTCUSDT', interval: '1m', from: '2023-03-24', to: '2023-03-26T00:00:00Z' };
    const activity = createBinanceActivities(deps())['binance.backfillKlines'];
    const first = await activity(input, quiet());
    expect(first).toMatchObject({
      symbol: 'BTCUSDT', interval: '1m', from: '2023-03-24T00:00:00.000Z', to: '2023-03-26T00:00:00.000Z',
      fetched: 2801, written: 2801, skipped: 0, gapCount: 1, gapBars: 80, missing: 0, complete: true, storeKey: 'klines:BTCUSDT:1m',
    });
    expect(first.gaps).toEqual([{ from: '2023-03-24T12:40:00.000Z', to: '2023-03-24T13:59:00.000Z', bars: 80 }]);
    expect(JSON.stringify(first).length).toBeLessThan(2000);
    const stored = await new KlineStore(redis.client).range('BTCUSDT', '1m', t(input.from), t(input.to));
    expect(stored).toEqual(csvRange('BTCUSDT', t(input.from), t(input.to)));

    const klinesRequests = ctx.server.stats.klinesRequests;
    const again = await activity(input, quiet());
    expect(ctx.server.stats.klinesRequests).toBe(klinesRequests);
    expect(again).toMatchObject({ fetched: 0, written: 0, pages: 0, skipped: 2801, gapBars: 80, complete: true });
  });

  it('fetches only what is missing when part of the range is stored', async () => {
    const store = new KlineStore(redis.client);
    await store.upsert('ETHUSDT', '1m', csvRange('ETHUSDT', t('2023-04-02T00:00:00Z'), t('2023-04-02T23:59:00Z')));
    const r = await backfillKlines({ symbol: 'ETHUSDT', interval: '1m', from: '2023-04-01', to: '2023-04-03T23:59:00' }, quiet(), deps());
    expect(r).toMatchObject({ skipped: 1440, fetched: 2880, written: 2880, complete: true, gapBars: 0 });
    const end = t('2023-04-03T23:59:00Z');
    expect(await store.range('ETHUSDT', '1m', t('2023-04-01'), end)).toEqual(csvRange('ETHUSDT', t('2023-04-01'), end));
  });

  it('rejects unusable input', async () => {
    const run = (input: any) => backfillKlines(input, quiet(), deps());
    await expect(run({ symbol: 'BTCUSDT', interval: '1m', from: '2023-04-02', to: '2023-04-01' })).rejects.toThrow(InvalidInputError);
    await expect(run({ symbol: 'BTCUSDT', interval: '7m', from: '2023-04-01', to: '2023-04-02' })).rejects.toThrow(/unknown interval/);
    await expect(run({ symbol: 'btc', interval: '1m', from: '2023-04-01', to: '2023-04-02' })).rejects.toThrow(InvalidInputError);
    await expect(run({ symbol: 'BTCUSDT', interval: '1m', from: 'yesterday', to: '2023-04-02' })).rejects.toThrow(InvalidInputError);
  });

  // REST paging (archives: false); the same guarantees through archives: archives.test.ts.
  it('resumes after a crash from the last heartbeat, fetching at most one page again', async () => {
    const input = { symbol: 'BTCUSDT', interval: '1m', from: '2023-04-03', to: '2023-04-05T23:59:00Z', concurrency: 1, archives: false };
    const clean = await backfillKlines(input, quiet(), deps());
    const cleanRequests = ctx.server.stats.klinesRequests;
    expect(clean.pages).toBe(5);
    const cleanStore = await new KlineStore(redis.client).range('BTCUSDT', '1m', t(input.from), t(input.to));
    await redis.client.flushall();
    ctx.server.resetStats();

    let last: BackfillHeartbeat | undefined;
    let beats = 0;
    const crashing = quiet({
      onHeartbeat: (d) => {
        if (++beats === 3) throw new Error('worker crashed');
        last = d as BackfillHeartbeat;
      },
    });
    await expect(backfillKlines(input, crashing, deps())).rejects.toThrow('worker crashed');
    expect(last?.counts.pages).toBe(2);
    expect(last?.cursor).toBe(t('2023-04-03T00:00:00Z') + 2000 * 60_000);
    const resumed = await backfillKlines(input, quiet({ resume: last }), deps());
    expect(ctx.server.stats.klinesRequests).toBeLessThanOrEqual(cleanRequests + 1);
    // Counts come from heartbeats: the page whose heartbeat crashed was stored but not counted.
    expect(resumed).toMatchObject({ complete: true, skipped: 3000 });
    expect(resumed.fetched).toBe(clean.fetched - 1000);
    expect(await new KlineStore(redis.client).range('BTCUSDT', '1m', t(input.from), t(input.to))).toEqual(cleanStore);
  });

  it('with parallel pages, a crash re-fetches at most the pages in flight', async () => {
    const input = { symbol: 'SOLUSDT', interval: '1m', from: '2023-04-03', to: '2023-04-08T23:59:00Z', concurrency: 4, archives: false };
    const d = { ...deps(), segmentBars: 1000 };
    const clean = await backfillKlines(input, quiet(), d);
    const cleanRequests = ctx.server.stats.klinesRequests;
    const cleanStore = await new KlineStore(redis.client).range('SOLUSDT', '1m', t(input.from), t(input.to));
    await redis.client.flushall();
    ctx.server.resetStats();
    let beats = 0;
    let last: unknown;
    const crashing = quiet({
      onHeartbeat: (h) => {
        if (++beats === 4) throw new Error('worker crashed');
        last = h;
      },
    });
    await expect(backfillKlines(input, crashing, d)).rejects.toThrow('worker crashed');
    const resumed = await backfillKlines(input, quiet({ resume: last }), d);
    expect(ctx.server.stats.klinesRequests).toBeLessThanOrEqual(cleanRequests + 4);
    expect(resumed.complete).toBe(true);
    expect(resumed.fetched).toBeGreaterThan(0);
    expect(await new KlineStore(redis.client).range('SOLUSDT', '1m', t(input.from), t(input.to))).toEqual(cleanStore);
  });

  it('stops when cancelled, without reporting success', async () => {
    const cancel = new AbortController();
    const run = backfillKlines(
      { symbol: 'BTCUSDT', interval: '1m', from: '2023-04-10', to: '2023-04-20', concurrency: 2 },
      quiet({ signal: cancel.signal, onHeartbeat: () => cancel.abort(new Error('run cancelled')) }),
      deps(),
    );
    await expect(run).rejects.toThrow('run cancelled');
    const pages = ctx.server.stats.klinesRequests;
    await new Promise((r) => setTimeout(r, 200));
    expect(ctx.server.stats.klinesRequests).toBe(pages);
  });

  it('backfills coarser intervals aggregated by the exchange', async () => {
    const r = await backfillKlines({ symbol: 'XRPUSDT', interval: '1h', from: '2023-04-02', to: '2023-04-30T23:00:00Z' }, quiet(), deps());
    expect(r).toMatchObject({ fetched: 29 * 24, gapBars: 0, complete: true });
  });
});

describe('chunkRange', () => {
  it('splits years into aligned, contiguous chunks', () => {
    const chunks = chunkRange('2020-01-01', '2024-12-31T23:59:00Z', '1m', 100_000);
    expect(chunks[0]).toEqual({ from: t('2020-01-01'), to: t('2020-01-01') + 99_999 * 60_000, bars: 100_000 });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i].from).toBe(chunks[i - 1].to + 60_000);
    expect(chunks.at(-1)!.to).toBe(t('2024-12-31T23:59:00Z'));
    expect(chunks.reduce((n, c) => n + c.bars, 0)).toBe((t('2025-01-01') - t('2020-01-01')) / 60_000);
    expect(chunkRange(t('2023-01-01T00:00:30Z'), t('2023-01-01T00:10:30Z'), '5m', 1)).toEqual([
      { from: t('2023-01-01T00:05:00Z'), to: t('2023-01-01T00:05:00Z'), bars: 1 },
      { from: t('2023-01-01T00:10:00Z'), to: t('2023-01-01T00:10:00Z'), bars: 1 },
    ]);
  });

  it('splits on calendar months (UTC) when asked for months: a past month is one chunk, one monthly archive', () => {
    const iso = (c: { from: number; to: number }) => [new Date(c.from).toISOString(), new Date(c.to).toISOString()];
    const chunks = chunkRangeByMonths('2023-01-15T10:00:00Z', '2023-04-02T23:59:00Z', '1m', 1);
    expect(chunks.map(iso)).toEqual([
      ['2023-01-15T10:00:00.000Z', '2023-01-31T23:59:00.000Z'],
      ['2023-02-01T00:00:00.000Z', '2023-02-28T23:59:00.000Z'],
      ['2023-03-01T00:00:00.000Z', '2023-03-31T23:59:00.000Z'],
      ['2023-04-01T00:00:00.000Z', '2023-04-02T23:59:00.000Z'],
    ]);
    expect(chunks.map((c) => c.bars)).toEqual([(17 * 24 - 10) * 60, 28 * 1440, 31 * 1440, 2 * 1440]);
    expect([monthsForBars('1m', 43_200), monthsForBars('5m', 43_200), monthsForBars('1h', 43_200)]).toEqual([1, 4, 58]);
    expect(chunkRangeByMonths('2023-01-01', '2023-12-31T23:00:00Z', '1h', 4).map((c) => c.bars)).toEqual([120 * 24, 123 * 24, 122 * 24]);
  });

  it('binance.planBackfill chunks on whole months by default, and by bar count when given one', async () => {
    const input = { symbols: ['BTCUSDT'], interval: '1m', from: '2023-03-20', to: '2023-05-01T00:00:00Z' };
    const byMonth = await planBackfill(input, quiet());
    expect(byMonth.chunks.map((c) => [c.from, c.to])).toEqual([
      ['2023-03-20T00:00:00.000Z', '2023-03-31T23:59:00.000Z'],
      ['2023-04-01T00:00:00.000Z', '2023-04-30T23:59:00.000Z'],
      ['2023-05-01T00:00:00.000Z', '2023-05-01T00:00:00.000Z'],
    ]);
    expect(byMonth.bars).toBe(12 * 1440 + 30 * 1440 + 1);
    const byBars = await planBackfill({ ...input, barsPerChunk: 43_200 }, quiet());
    expect(byBars.chunks.map((c) => c.from)).toEqual(['2023-03-20T00:00:00.000Z', '2023-04-19T00:00:00.000Z']);
  });
});
