// The exchange's clock decides which bars are closed. Our estimate of it drifts (here: the
// exchange's clock is frozen while ours runs on), so a bar is taken as closed only a margin after
// its close; and every backfill attempt re-reads the clock, even with a client kept from before.
import { beforeEach, describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis';
import { localContext } from '../../activities/context';
import { backfillKlines } from '../../activities/binance/backfill';
import { KlineStore } from '../../activities/binance/kline-store';
import { WeightBudget } from '../../activities/binance/weight-budget';
import { csvRange, t, testClient, useBinanceServer } from './support';

const redis = useRedis();
const ctx = useBinanceServer();

describe('exchange clock', () => {
  beforeEach(async () => {
    ctx.server.setOptions({ now: Date.now });
    await redis.client.flushall();
  });

  it('keeps a margin of clock uncertainty before treating the last bar of a page as closed', async () => {
    // The exchange says 05:30:57: the 05:30 bar closes in 3 s. Our clock then runs 3.5 s ahead of it.
    const exchangeNow = t('2023-04-10T05:30:57Z');
    ctx.server.setOptions({ now: () => exchangeNow });
    const client = testClient(ctx.server);
    await client.syncClock();
    await new Promise((r) => setTimeout(r, 3500));
    const page = await client.fetchKlinesPage('BTCUSDT', '1m', t('2023-04-10T05:00:00Z'));
    // By our estimate (05:31:00.5) the 05:30 bar has closed; by the exchange's it has not.
    expect(page.klines.at(-1)?.openTime).toBe(t('2023-04-10T05:29:00Z'));
    expect(page.openBar?.openTime).toBe(t('2023-04-10T05:30:00Z'));
    expect(page.knownTo).toBeLessThan(t('2023-04-10T05:30:00Z'));
  });

  it('re-syncs the clock offset at each backfill attempt, even with a client kept from before', async () => {
    const client = testClient(ctx.server);
    const deps = { redis: redis.client, config: { binanceBaseUrl: ctx.server.url }, client };
    ctx.server.setOptions({ now: () => t('2023-04-10T06:00:30Z') });
    const first = await backfillKlines({ symbol: 'ETHUSDT', interval: '1m', from: '2023-04-10T05:00:00Z', to: '2023-04-10T05:59:00Z' }, localContext({ quiet: true }), deps);
    expect(first).toMatchObject({ complete: true, fetched: 60 });
    // Hours later (the exchange's clock moved on; ours did not as far as the client knows).
    ctx.server.setOptions({ now: () => t('2023-04-10T09:00:30Z') });
    const second = await backfillKlines({ symbol: 'ETHUSDT', interval: '1m', from: '2023-04-10T06:00:00Z', to: '2023-04-10T08:59:00Z' }, localContext({ quiet: true }), deps);
    expect(second).toMatchObject({ complete: true, fetched: 180, missing: 0 });
    const stored = await new KlineStore(redis.client).range('ETHUSDT', '1m', t('2023-04-10T05:00:00Z'), t('2023-04-10T08:59:00Z'));
    expect(stored).toEqual(csvRange('ETHUSDT', t('2023-04-10T05:00:00Z'), t('2023-04-10T08:59:00Z')));
  });

  it('times the clock sync from when /api/v3/time goes out, not from before a wait for the weight budget', async () => {
    const budget = new WeightBudget({ limits: { limit: 100, windowMs: 1000 } });
    const client = testClient(ctx.server, { budget });
    budget.observe(97); // the IP's window is full (another client): /time waits for a later one
    const started = Date.now();
    const offset = await client.syncClock();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(500);
    // Server and client read this machine's clock: the true offset is 0 (a wait counted into the
    // round trip would make it about half the wait).
    expect(Math.abs(offset)).toBeLessThan(Math.min(200, waited / 4));
  });
});
