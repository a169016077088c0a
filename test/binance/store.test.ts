import { beforeEach, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import { useRedis } from '../support/redis';
import { KlineStore } from '../../activities/binance/kline-store';
import { encodeRun } from '../../activities/binance/kline-codec';
import type { Kline } from '../../activities/binance/kline';
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

  describe('upsertRecordsExclusive (a decode thread’s own connection: chunks not stored yet without Lua)', () => {
    // Three days of bars with an hour left out of the middle day (so that chunk has two runs, one at
    // a non-zero offset) and the last day starting at 03:00 (one run at a non-zero offset).
    const bars = csvRange('BTCUSDT', t('2023-03-31T00:00:00Z'), t('2023-04-02T23:59:00Z')).filter(
      (k) => !(k.openTime >= t('2023-04-01T12:00:00Z') && k.openTime < t('2023-04-01T13:00:00Z')) && !(k.openTime >= t('2023-04-02T00:00:00Z') && k.openTime < t('2023-04-02T03:00:00Z')),
    );
    const records = (ks: Kline[]) => ({ openTimes: Float64Array.from(ks, (k) => k.openTime), records: encodeRun(ks, 0, ks.length) });
    /** Every key of a namespace with its raw value (strings) or fields (the counts hash). */
    const dump = async (ns: string) => {
      const out: Record<string, unknown> = {};
      for (const key of (await redis.client.keys(`${ns}:*`)).sort()) {
        const rest = key.slice(ns.length);
        out[rest] = rest.endsWith(':counts') ? await redis.client.hgetall(key) : (await redis.client.getBuffer(key))!.toString('hex');
      }
      return out;
    };
    const commandCalls = async () => {
      const calls: Record<string, number> = {};
      for (const m of (await redis.client.info('commandstats')).matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) calls[m[1]] = Number(m[2]);
      return calls;
    };

    it('writes what upsertRecords writes, fresh chunks with SET/SETRANGE and no script, a partly stored chunk through the Lua upsert', async () => {
      const own = new Redis(redis.url);
      try {
        const lua = new KlineStore(redis.client, 'lua');
        const tx = new KlineStore(own, 'tx');
        // The store already holds part of the middle day, one bar of it different from the new data.
        const before = csvRange('BTCUSDT', t('2023-04-01T06:00:00Z'), t('2023-04-01T06:59:00Z'));
        before[5] = { ...before[5], close: before[5].close + 1 };
        for (const s of [lua, tx]) await s.upsert('BTCUSDT', '1m', before);
        const r = records(bars);
        const expected = await lua.upsertRecords('BTCUSDT', '1m', r.openTimes, r.records);
        await redis.client.config('RESETSTAT');
        const got = await tx.upsertRecordsExclusive('BTCUSDT', '1m', r.openTimes, r.records);
        const calls = await commandCalls();
        expect(expected).toEqual({ written: bars.length - 59, unchanged: 59 });
        expect(got).toEqual(expected);
        expect(await dump('tx')).toEqual(await dump('lua'));
        expect(await dump('tx')).toHaveProperty([':BTCUSDT:1m:counts'], { '2023-03-31': '1440', '2023-04-01': '1380', '2023-04-02': '1260' });
        // Day 1 with SET (one run from offset 0), day 3 with SETRANGE (it starts at 03:00), day 2
        // (partly stored) by the script: its two runs are one GETRANGE + SETRANGE each inside it.
        expect(calls).toMatchObject({ set: 1, setrange: 3, getrange: 2, exec: 1, watch: 1 });
        expect((calls.evalsha ?? 0) + (calls.eval ?? 0)).toBe(1);
        // Again: every chunk exists now, so all of it goes through the script and nothing is written.
        expect(await tx.upsertRecordsExclusive('BTCUSDT', '1m', r.openTimes, r.records)).toEqual({ written: 0, unchanged: bars.length });
        expect(await dump('tx')).toEqual(await dump('lua'));
      } finally {
        own.disconnect();
      }
    });

    it('falls back to the Lua upsert when another client writes a chunk between the check and EXEC', async () => {
      const own = new Redis(redis.url);
      try {
        const lua = new KlineStore(redis.client, 'lua');
        const tx = new KlineStore(own, 'tx');
        const r = records(bars);
        // The other writer's bars (one of them different), in the first day: it was absent at the check.
        const theirs = csvRange('BTCUSDT', t('2023-03-31T10:00:00Z'), t('2023-03-31T10:09:00Z'));
        theirs[3] = { ...theirs[3], volume: theirs[3].volume + 1 };
        await lua.upsert('BTCUSDT', '1m', theirs);
        const expected = await lua.upsertRecords('BTCUSDT', '1m', r.openTimes, r.records);
        let ran = false;
        const got = await tx.upsertRecordsExclusive('BTCUSDT', '1m', r.openTimes, r.records, async () => {
          ran = true;
          await new KlineStore(redis.client, 'tx').upsert('BTCUSDT', '1m', theirs);
        });
        expect(ran).toBe(true);
        expect(expected).toEqual({ written: bars.length - 9, unchanged: 9 });
        expect(got).toEqual(expected);
        expect(await dump('tx')).toEqual(await dump('lua'));
      } finally {
        own.disconnect();
      }
    });
  });
});
