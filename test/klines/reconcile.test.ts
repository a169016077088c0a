// klines.reconcile against the local Binance-compatible server: replayed real bars rebuilt from
// ticks agree with Binance's field by field; late ticks and feed gaps show up as differing bars
// and missing minutes; adopting puts the exchange's bars into the kline store.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, beforeEach } from 'vitest';
import { localContext } from '../../activities/context';
import { KlineStore } from '../../activities/binance/kline-store';
import { klinesFromTicks } from '../../activities/klines/from-ticks';
import { reconcileKlines } from '../../activities/klines/reconcile';
import { simulateTicks } from '../../activities/klines/simulate';
import { shippedBars } from '../../activities/klines/shipped-klines';
import { paths } from '../../stack/tools';
import { useRedis } from '../support/redis';
import { testClient, useBinanceServer } from '../binance/support';

const redis = useRedis();
const binance = useBinanceServer();
const ctx = () => localContext({ quiet: true });
const t = (s: string) => Date.parse(s);
const FROM = t('2025-08-01T00:00Z');
const TO = t('2025-08-01T00:14Z');
const dataDir = path.join(paths.var, 'test', `reconcile-${process.pid}`);
const deps = () => ({ redis: redis.client, config: { binanceBaseUrl: binance.server.url, dataDir }, client: testClient(binance.server) });

beforeEach(async () => {
  await redis.client.flushall();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function live(symbols: string[], from: number, to: number, extra: Record<string, unknown> = {}) {
  await simulateTicks({ symbols, from, to, maxTicksPerBar: 10_000, ...extra }, ctx(), { redis: redis.client });
  return klinesFromTicks({ clock: 'event', idle: '500ms' }, ctx(), { redis: redis.client });
}

describe('klines.reconcile', () => {
  it('finds live bars built from replayed real ticks equal to Binance bar for bar, then adopts the exchange bars', async () => {
    await live(['BTCUSDT'], FROM, TO);
    const r = await reconcileKlines({ symbols: ['BTCUSDT'], from: FROM, to: TO }, ctx(), deps());
    expect([r.live, r.binance, r.both, r.liveOnly, r.binanceOnly, r.binanceWithoutTradeStats]).toEqual([15, 15, 15, 0, 0, 0]);
    for (const f of ['open', 'high', 'low', 'close', 'volume', 'trades', 'takerBuyBase'] as const) expect(r.maxAbsDelta[f], f).toBe(0);
    // Quote volumes are aimed at, not exact: within a millionth of ~1.5 M USDT per bar.
    expect(r.maxAbsDelta.quoteVolume).toBeGreaterThan(0);
    expect(r.maxAbsDelta.quoteVolume).toBeLessThan(5);
    expect(r.symbols[0].fields.volume).toEqual({ maxAbsDelta: 0, at: null, differing: 0, compared: 15 });
    expect(r.summary).toMatch(/15 live bars, 15 Binance bars over the live span, 15 in both, 0 live only, 0 Binance only/);

    const report = JSON.parse(readFileSync(r.reportFile, 'utf8'));
    expect(report.symbols[0].examples.length).toBeGreaterThan(0);
    expect(report.symbols[0].examples.every((e: { field: string }) => e.field === 'quoteVolume' || e.field === 'takerBuyQuote')).toBe(true);

    // Adopted: the kline store now holds Binance's bars, quote volumes included.
    expect(r.adopted).toBe(r.barsDiffering);
    const got = await new KlineStore(redis.client).range('BTCUSDT', '1m', FROM, TO);
    expect(got.map((k) => k.quoteVolume)).toEqual(shippedBars('BTCUSDT', FROM, TO).map((b) => Number(b.quoteVolume)));
  }, 120_000);

  it('shows late ticks as differing bars and a feed gap as Binance-only minutes', async () => {
    const run = await live(['BTCUSDT'], FROM, t('2025-08-01T00:09Z'), { late: 0.003 });
    await live(['BTCUSDT'], t('2025-08-01T00:15Z'), t('2025-08-01T00:19Z'));
    const dead = (await redis.client.xrange(run.deadLetterStream, '-', '+')).map(([, f]) => Number(f[f.indexOf('time') + 1]));
    const hit = new Set(dead.map((x) => Math.floor(x / 60_000)));
    expect(hit.size).toBeGreaterThan(0);
    const r = await reconcileKlines({ symbols: ['BTCUSDT'], from: FROM, to: t('2025-08-01T00:30Z'), adopt: false }, ctx(), deps());
    expect([r.live, r.binance, r.binanceOnly, r.liveOnly]).toEqual([15, 20, 5, 0]);
    expect(r.symbols[0].fields.volume.differing).toBe(hit.size);
    expect(r.symbols[0].fields.trades.differing).toBe(hit.size);
    expect(r.maxAbsDelta.volume).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(r.reportFile, 'utf8'));
    expect(report.symbols[0].binanceOnlyExamples).toEqual(['2025-08-01T00:10:00.000Z', '2025-08-01T00:11:00.000Z', '2025-08-01T00:12:00.000Z', '2025-08-01T00:13:00.000Z', '2025-08-01T00:14:00.000Z']);
    expect(r.adopted).toBe(0);
  }, 120_000);

  it('compares OHLCV only where the served bars have no trade statistics (the shipped OHLCV-only data)', async () => {
    await live(['ETHUSDT', 'SOLUSDT'], t('2023-04-20T00:00Z'), t('2023-04-20T00:59Z'));
    const r = await reconcileKlines({ symbols: ['ETHUSDT', 'SOLUSDT', 'XRPUSDT'], from: '2023-04-20', to: '2023-04-20T00:59Z' }, ctx(), deps());
    expect([r.live, r.binance, r.both, r.barsDiffering, r.binanceWithoutTradeStats]).toEqual([120, 120, 120, 0, 120]);
    expect(r.symbols.find((s) => s.symbol === 'XRPUSDT')).toMatchObject({ live: 0, binance: 0 });
    expect(r.symbols[0].fields.trades.compared).toBe(0);
    expect(r.summary).toMatch(/120 Binance bars without trade statistics/);
  }, 120_000);
});
