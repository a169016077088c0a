import { beforeEach, describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis';
import { KlineStore } from '../../activities/binance/kline-store';
import { csvRange, t } from './support';

const redis = useRedis();
const M = 60_000;

describe('KlineStore', () => {
  beforeEach(async () => {
    await redis.client.flushall();
  });

  it('upserts idempotently: a second upsert writes nothing and reports unchanged', async () => {
    const store = new KlineStore(redis.client);
    const bars = csvRange('BTCUSDT', t('2023-03-31T20:00:00Z'), t('2023-04-01T03:59:00Z'));
    expect(bars).toHaveLength(480);
    expect(await store.upsert('BTCUSDT', '1m', bars)).toEqual({ written: 480, unchanged: 0 });
    expect(await store.upsert('BTCUSDT', '1m', bars)).toEqual({ written: 0, unchanged: 480 });
    const changed = { ...bars[10], close: bars[10].close + 1 };
    expect(await store.upsert('BTCUSDT', '1m', [changed, bars[11]])).toEqual({ written: 1, unchanged: 1 });
    const keys = (await redis.client.keys('klines:BTCUSDT:1m:*')).sort();
    expect(keys).toEqual(['klines:BTCUSDT:1m:2023-03-31', 'klines:BTCUSDT:1m:2023-04-01', 'klines:BTCUSDT:1m:counts']);
    expect(await redis.client.hgetall('klines:BTCUSDT:1m:counts')).toEqual({ '2023-03-31': '240', '2023-04-01': '240' });
    const back = await store.range('BTCUSDT', '1m', bars[0].openTime, bars[479].openTime);
    expect(back).toEqual(bars.map((k, i) => (i === 10 ? changed : k)));
  });

  it('reads ranges inclusively and sorted, across chunks', async () => {
    const store = new KlineStore(redis.client);
    const bars = csvRange('BTCUSDT', t('2023-04-01T00:00:00Z'), t('2023-04-04T00:00:00Z'));
    await store.upsert('BTCUSDT', '1m', [...bars].reverse());
    const from = t('2023-04-01T23:59:00Z');
    const to = t('2023-04-03T00:01:00Z');
    expect(await store.range('BTCUSDT', '1m', from, to)).toEqual(csvRange('BTCUSDT', from, to));
    expect(await store.range('BTCUSDT', '1m', from + 1, from + 59_999)).toEqual([]);
  });

  it('reads the same bars as columns (rangeColumns), gaps left out', async () => {
    const store = new KlineStore(redis.client);
    const bars = csvRange('BTCUSDT', t('2023-03-24T10:00:00Z'), t('2023-03-25T02:00:00Z')); // holds the 80-minute halt
    await store.upsert('BTCUSDT', '1m', bars);
    const from = t('2023-03-24T11:30:00Z');
    const to = t('2023-03-25T01:00:00Z');
    const want = csvRange('BTCUSDT', from, to);
    const cols = await store.rangeColumns('BTCUSDT', '1m', from, to);
    expect([...cols.openTime]).toEqual(want.map((k) => k.openTime));
    expect([...cols.high]).toEqual(want.map((k) => k.high));
    expect([...cols.low]).toEqual(want.map((k) => k.low));
    expect([...cols.close]).toEqual(want.map((k) => k.close));
    expect([...cols.volume]).toEqual(want.map((k) => k.volume));
    expect(want.length).toBeLessThan((to - from) / M + 1);
    expect((await store.rangeColumns('BTCUSDT', '1m', from + 1, from + 59_999)).close.length).toBe(0);
  });

  it('accepts unsorted and duplicate bars, rejects open times off the grid', async () => {
    const store = new KlineStore(redis.client);
    const bars = csvRange('BTCUSDT', t('2023-04-01T00:00:00Z'), t('2023-04-01T00:09:00Z'));
    expect(await store.upsert('BTCUSDT', '1m', [bars[3], bars[1], bars[3], bars[0]])).toEqual({ written: 3, unchanged: 0 });
    expect(await store.range('BTCUSDT', '1m', bars[0].openTime, bars[9].openTime)).toEqual([bars[0], bars[1], bars[3]]);
    await expect(store.upsert('BTCUSDT', '1m', [{ ...bars[0], openTime: bars[0].openTime + 1 }])).rejects.toThrow(/not on the 1m grid/);
  });

  it('keeps bars whose close time is not openTime + interval - 1', async () => {
    const store = new KlineStore(redis.client);
    const bar = { ...csvRange('BTCUSDT', t('2023-04-01T00:00:00Z'), t('2023-04-01T00:00:00Z'))[0] };
    bar.closeTime = bar.openTime + 1234;
    await store.upsert('BTCUSDT', '1m', [bar]);
    expect(await store.range('BTCUSDT', '1m', bar.openTime, bar.openTime)).toEqual([bar]);
  });

  it('reports coverage: present runs, recorded gaps, and what is missing', async () => {
    const store = new KlineStore(redis.client);
    const a = t('2023-03-24T00:00:00Z');
    // A full day (complete chunk), the halt as a recorded gap, then part of the next day.
    await store.upsert('BTCUSDT', '1m', csvRange('BTCUSDT', a, a + 1439 * M));
    await store.upsert('BTCUSDT', '1m', csvRange('BTCUSDT', t('2023-03-25T00:00:00Z'), t('2023-03-25T01:00:00Z')));
    await store.recordGaps('BTCUSDT', '1m', [[t('2023-03-24T12:40:00Z'), t('2023-03-24T13:59:00Z')]]);
    await store.recordGaps('BTCUSDT', '1m', [[t('2023-03-25T05:00:00Z'), t('2023-03-25T05:09:00Z')]]);
    const cov = await store.coverage('BTCUSDT', '1m', t('2023-03-24T12:00:00Z'), t('2023-03-25T06:00:00Z'));
    expect(cov.present).toEqual([
      [t('2023-03-24T12:00:00Z'), t('2023-03-24T12:39:00Z')],
      [t('2023-03-24T14:00:00Z'), t('2023-03-25T01:00:00Z')],
    ]);
    expect(cov.gaps).toEqual([
      [t('2023-03-24T12:40:00Z'), t('2023-03-24T13:59:00Z')],
      [t('2023-03-25T05:00:00Z'), t('2023-03-25T05:09:00Z')],
    ]);
    expect(cov.missing).toEqual([
      [t('2023-03-25T01:01:00Z'), t('2023-03-25T04:59:00Z')],
      [t('2023-03-25T05:10:00Z'), t('2023-03-25T06:00:00Z')],
    ]);
  });

  it('stores other intervals in month and year chunks', async () => {
    const store = new KlineStore(redis.client);
    const hourly = [0, 1, 2].map((h) => ({ ...csvRange('BTCUSDT', t('2023-04-01T00:00:00Z'), t('2023-04-01T00:00:00Z'))[0], openTime: t(`2023-04-30T2${h}:00:00Z`), closeTime: t(`2023-04-30T2${h}:00:00Z`) + 3_599_999 }));
    await store.upsert('BTCUSDT', '1h', hourly);
    expect((await redis.client.keys('klines:BTCUSDT:1h:*')).sort()).toEqual(['klines:BTCUSDT:1h:2023-04', 'klines:BTCUSDT:1h:counts']);
    expect(await store.range('BTCUSDT', '1h', 0, Date.now())).toEqual(hourly);
    const cov = await store.coverage('BTCUSDT', '1h', t('2023-04-30T20:00:00Z'), t('2023-05-01T01:00:00Z'));
    expect(cov.present).toEqual([[t('2023-04-30T20:00:00Z'), t('2023-04-30T22:00:00Z')]]);
    expect(cov.missing).toEqual([[t('2023-04-30T23:00:00Z'), t('2023-05-01T01:00:00Z')]]);
  });
});
