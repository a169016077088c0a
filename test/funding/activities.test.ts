// funding.backfillRates and funding.addFeatures called directly, on a real redis-server and the
// local Binance-compatible server: idempotent re-runs, the simulated mark, clear refusals.
import { describe, expect, it } from 'vitest';
import { localContext } from '../../activities/context';
import { backfillFundingRates } from '../../activities/funding/backfill';
import { addFundingFeatures } from '../../activities/funding/add-features';
import { FundingStore } from '../../activities/funding/store';
import { createFundingClient } from '../../activities/funding/client';
import { useRedis } from '../support/redis';
import { useBinanceServer } from '../binance/support';

const redis = useRedis();
const binance = useBinanceServer();
const ctx = () => localContext({ quiet: true });
const deps = () => ({ redis: redis.client, config: { binanceBaseUrl: binance.server.url, dataDir: '/nonexistent' } });

describe('funding activities', () => {
  it('pages forward from startTime until a short page', async () => {
    const from = Date.parse('2021-01-01');
    const to = Date.parse('2025-12-31');
    const paged = [];
    let pages = 0;
    for await (const p of createFundingClient({ baseUrl: binance.server.url, pageSize: 100 }).history('BTCUSDT', from, to)) {
      paged.push(...p.records);
      pages++;
    }
    const whole = (await createFundingClient({ baseUrl: binance.server.url }).page('BTCUSDT', from, to)).records;
    expect(whole.length).toBeGreaterThan(500);
    expect(pages).toBe(Math.ceil((whole.length + 1) / 100));
    expect(paged).toEqual(whole);
  });

  it('backfills years of rates, marks them simulated, and rewrites nothing on a re-run', async () => {
    const input = { symbols: ['BTCUSDT'], from: '2021-01-01', to: '2025-12-31' };
    const first = await backfillFundingRates(input, ctx(), deps());
    expect(first.simulated).toBe(true);
    expect(first.fetched).toBeGreaterThan(500);
    expect(first.stored).toBe(first.fetched);
    const again = await backfillFundingRates(input, ctx(), deps());
    expect([again.fetched, again.stored]).toEqual([first.fetched, 0]);
    const store = new FundingStore(redis.client);
    expect(await redis.client.zcard('funding:BTCUSDT')).toBe(first.fetched);
    expect((await store.meta('BTCUSDT')).simulated).toBe(true);
    const april = await store.range('BTCUSDT', Date.parse('2023-04-01'), Date.parse('2023-04-01T16:00Z'));
    expect(april.map((r) => r.time - Date.parse('2023-04-01'))).toEqual([0, 8 * 3_600_000, 16 * 3_600_000]);
  });

  it('refuses an unknown symbol with Binance\'s message, and a dataset that is not there', async () => {
    await expect(backfillFundingRates({ symbols: ['DOGEUSDT'], from: '2023-04-01', to: '2023-04-02' }, ctx(), deps())).rejects.toThrow(/Binance rejected .*Invalid symbol\. \(code -1121, HTTP 400\)/);
    await expect(backfillFundingRates({ symbols: ['BTCUSDT'], from: '2023-04-02', to: '2023-04-01' }, ctx(), deps())).rejects.toThrow(/is after to/);
    await expect(addFundingFeatures({ datasetFile: '/nope/x.arrow' }, ctx(), deps())).rejects.toThrow(/does not exist/);
  });
});
