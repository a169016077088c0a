// klines.fromTicks on a real redis-server: replayed ticks of real bars come back as those bars;
// late, duplicate and malformed ticks follow the policy; a run killed with -9 resumes without
// losing or double-counting a tick; the arrival clock closes minutes by Redis's clock.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it, beforeEach } from 'vitest';
import { localContext } from '../../activities/context';
import { KlineStore } from '../../activities/binance/kline-store';
import { klinesFromTicks, TICKS_NAMESPACE } from '../../activities/klines/from-ticks';
import { simulateTicks } from '../../activities/klines/simulate';
import { shippedBars } from '../../activities/klines/shipped-klines';
import { parseScaled, scaledToNumber } from '../../activities/klines/decimal';
import { fieldMap } from '../../activities/klines/tick';
import { paths } from '../../stack/tools';
import { useRedis } from '../support/redis';

const redis = useRedis();
const ctx = () => localContext({ quiet: true });
const t = (s: string) => Date.parse(s);
const FROM = t('2025-08-01T00:00Z');
const TO = t('2025-08-01T00:14Z');

beforeEach(async () => {
  await redis.client.flushall();
});

/** The shipped bars as the store returns them (numbers parsed from the file's decimals). */
function expectedBars(from = FROM, to = TO) {
  return shippedBars('BTCUSDT', from, to).map((b) => ({
    openTime: b.openTime, open: Number(b.open), high: Number(b.high), low: Number(b.low), close: Number(b.close),
    volume: Number(b.volume), trades: b.trades!, takerBuyBase: Number(b.takerBuyBase), quoteVolume: Number(b.quoteVolume),
  }));
}

const exactFields = (k: { openTime: number; open: number; high: number; low: number; close: number; volume: number; trades: number; takerBuyBase: number }) =>
  ({ openTime: k.openTime, open: k.open, high: k.high, low: k.low, close: k.close, volume: k.volume, trades: k.trades, takerBuyBase: k.takerBuyBase });

describe('klines.fromTicks', () => {
  it('turns replayed ticks of real bars back into those bars, in the store and in its own copy', async () => {
    const sim = await simulateTicks({ symbols: ['BTCUSDT'], from: FROM, to: TO, maxTicksPerBar: 10_000, duplicates: 0.02 }, ctx(), { redis: redis.client });
    expect(sim.bars).toBe(15);
    expect(sim.countFromSource).toBe(15);
    expect(sim.duplicatesSent).toBeGreaterThan(100);
    const r = await klinesFromTicks({ clock: 'event', idle: '1s', runFor: '2m' }, ctx(), { redis: redis.client });
    const expected = expectedBars();
    expect(r.bars).toBe(15);
    expect(r.ticks).toBe(expected.reduce((n, b) => n + b.trades, 0));
    expect(r.simulatedTicks).toBe(r.ticks);
    expect(r.duplicates).toBe(sim.duplicatesSent);
    expect([r.late, r.invalid, r.kept, r.pending]).toEqual([0, 0, 0, 0]);
    expect(r.entries).toBe(sim.entries);
    expect(r.mainWritten).toBe(15);
    expect(r.stoppedBecause).toBe('idle');
    expect(r.openBars).toEqual([]);

    for (const store of [new KlineStore(redis.client), new KlineStore(redis.client, TICKS_NAMESPACE)]) {
      const got = await store.range('BTCUSDT', '1m', FROM, TO);
      expect(got.map(exactFields)).toEqual(expected.map(exactFields));
      got.forEach((k, i) => expect(Math.abs(k.quoteVolume - expected[i].quoteVolume) / expected[i].quoteVolume).toBeLessThan(1e-6));
    }
    // Everything acknowledged; a second run finds nothing to do.
    const again = await klinesFromTicks({ clock: 'event', idle: '500ms' }, ctx(), { redis: redis.client });
    expect([again.entries, again.bars, again.pending]).toEqual([0, 0, 0]);
  }, 120_000);

  it('keeps late ticks in the dead-letter stream: each bar misses exactly their quantity', async () => {
    const sim = await simulateTicks({ symbols: ['BTCUSDT'], from: FROM, to: TO, maxTicksPerBar: 10_000, late: 0.003, lateBy: '2m' }, ctx(), { redis: redis.client });
    expect(sim.lateSent).toBeGreaterThan(20);
    const r = await klinesFromTicks({ clock: 'event', grace: '2s', idle: '1s' }, ctx(), { redis: redis.client });
    // Late ticks held back from the last two minutes arrive while those minutes are still open: merged.
    expect(r.late).toBeGreaterThan(0);
    expect(r.late).toBeLessThanOrEqual(sim.lateSent);
    expect(r.ticks + r.late).toBe(sim.ticks);
    expect(r.entries).toBe(sim.entries);

    const dead = (await redis.client.xrange(r.deadLetterStream, '-', '+')).map(([, f]) => fieldMap(f));
    expect(dead).toHaveLength(r.late);
    expect(dead.every((d) => d.reason.startsWith('late: its minute') && d.sourceId && d.group === 'klines' && d.simulated === '1')).toBe(true);
    const missing = new Map<number, bigint>();
    for (const d of dead) {
      const m = Math.floor(Number(d.time) / 60_000) * 60_000;
      missing.set(m, (missing.get(m) ?? 0n) + parseScaled(d.qty)!);
    }
    const got = await new KlineStore(redis.client).range('BTCUSDT', '1m', FROM, TO);
    const files = shippedBars('BTCUSDT', FROM, TO);
    expect(got).toHaveLength(15);
    got.forEach((k, i) => {
      const lost = missing.get(k.openTime) ?? 0n;
      expect(k.volume, new Date(k.openTime).toISOString()).toBe(scaledToNumber(parseScaled(files[i].volume)! - lost));
      if (lost === 0n) expect(k.trades).toBe(files[i].trades);
      else expect(k.trades).toBeLessThan(files[i].trades!);
    });
  }, 120_000);

  it('resumes after kill -9 from the last acknowledged entry: no tick lost, none counted twice', async () => {
    const sim = await simulateTicks({ symbols: ['BTCUSDT'], from: FROM, to: TO, maxTicksPerBar: 10_000 }, ctx(), { redis: redis.client });
    const input = { clock: 'event', idle: '1s', batch: 300 };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(paths.root, 'test/klines/consumer-process.ts'), redis.url, JSON.stringify(input)], {
      cwd: paths.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let heartbeats = 0;
    let out = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d;
        heartbeats = (out.match(/^heartbeat /gm) ?? []).length;
        if (heartbeats >= 20) resolve();
      });
      child.once('exit', () => reject(new Error(`consumer exited before 20 heartbeats:\n${out}`)));
    });
    child.kill('SIGKILL');
    await exited;
    const pendingAfterCrash = Number(((await redis.client.xpending('market.tick', 'klines')) as unknown[])[0]);
    expect(pendingAfterCrash).toBeGreaterThan(0);
    const writtenBefore = (await new KlineStore(redis.client, TICKS_NAMESPACE).range('BTCUSDT', '1m', FROM, TO)).length;
    expect(writtenBefore).toBeLessThan(15);

    // The dead run's lock is still there: a new attempt is refused (retryable) until it expires.
    await expect(klinesFromTicks(input as any, ctx(), { redis: redis.client })).rejects.toThrow(/another consumer of group 'klines'/);
    let r;
    for (let i = 0; ; i++) {
      try {
        r = await klinesFromTicks(input as any, ctx(), { redis: redis.client });
        break;
      } catch (e) {
        if (!/another consumer/.test((e as Error).message) || i > 30) throw e;
        await new Promise((res) => setTimeout(res, 500));
      }
    }
    expect(r.bars + writtenBefore).toBe(15);
    expect(Number(((await redis.client.xpending('market.tick', 'klines')) as unknown[])[0])).toBe(0);
    const got = await new KlineStore(redis.client).range('BTCUSDT', '1m', FROM, TO);
    expect(got.map(exactFields)).toEqual(expectedBars().map(exactFields));
    expect(sim.ticks).toBe(expectedBars().reduce((n, b) => n + b.trades, 0));
  }, 120_000);

  it('on the arrival clock, closes minutes by when entries reached Redis, quiet symbols included', async () => {
    const c = redis.client;
    const id = (iso: string, seq = 0) => `${t(iso)}-${seq}`;
    const tick = (symbol: string, time: string, price: string, tradeId: number) =>
      ['symbol', symbol, 'price', price, 'qty', '1', 'time', String(t(time)), 'side', 'buy', 'tradeId', String(tradeId)];
    await c.xadd('market.tick', id('2025-08-01T00:00:10Z'), ...tick('ETHUSDT', '2025-08-01T00:00:10Z', '3000', 1));
    await c.xadd('market.tick', id('2025-08-01T00:00:20Z'), ...tick('BTCUSDT', '2025-08-01T00:00:20Z', '100', 1));
    // Reaches Redis 1.5 s after its minute ended: within the 2 s grace.
    await c.xadd('market.tick', id('2025-08-01T00:01:01.500Z'), ...tick('BTCUSDT', '2025-08-01T00:00:59Z', '101', 2));
    await c.xadd('market.tick', id('2025-08-01T00:01:03Z'), ...tick('BTCUSDT', '2025-08-01T00:01:02Z', '102', 3));
    // 5 s after its minute ended, after an entry that closed it: late.
    await c.xadd('market.tick', id('2025-08-01T00:01:05Z'), ...tick('BTCUSDT', '2025-08-01T00:00:58Z', '99', 4));
    await c.xadd('market.tick', id('2025-08-01T00:01:06Z'), 'symbol', 'BTCUSDT', 'price', 'NaN', 'qty', '1', 'time', '0', 'side', 'buy');
    const r = await klinesFromTicks({ grace: '2s', idle: '300ms' }, ctx(), { redis: c });
    // Caught up, Redis's clock (now) closes every minute: all three bars are written.
    expect(r.bars).toBe(3);
    expect(r.barsBySymbol).toEqual({ BTCUSDT: 2, ETHUSDT: 1 });
    expect([r.late, r.invalid, r.ticks]).toEqual([1, 1, 4]);
    const btc = await new KlineStore(c).range('BTCUSDT', '1m', t('2025-08-01T00:00Z'), t('2025-08-01T00:01Z'));
    expect(btc.map((k) => [k.open, k.high, k.low, k.close, k.trades])).toEqual([[100, 101, 100, 101, 2], [102, 102, 102, 102, 1]]);
    const dead = (await c.xrange('market.tick.deadletter', '-', '+')).map(([, f]) => fieldMap(f));
    expect(dead.map((d) => d.reason)).toEqual([
      'late: its minute 2025-08-01T00:00:00.000Z closed at 2025-08-01T00:01:03.000Z',
      'invalid: price must be a positive decimal with at most 8 decimals, got "NaN"',
    ]);
    expect(dead[1].sourceId).toBe(id('2025-08-01T00:01:06Z'));
  });

  it('leaves a bar from Binance in the kline store as it is, and only writes its own copy', async () => {
    const store = new KlineStore(redis.client);
    const binance = { openTime: t('2025-08-01T00:00Z'), open: 1, high: 2, low: 1, close: 2, volume: 5, closeTime: t('2025-08-01T00:00Z') + 59_999, quoteVolume: 7, trades: 3, takerBuyBase: 1, takerBuyQuote: 1 };
    await store.upsert('BTCUSDT', '1m', [binance]);
    await simulateTicks({ symbols: ['BTCUSDT'], from: FROM, to: t('2025-08-01T00:01Z') }, ctx(), { redis: redis.client });
    const r = await klinesFromTicks({ clock: 'event', idle: '500ms' }, ctx(), { redis: redis.client });
    expect([r.bars, r.kept, r.mainWritten, r.liveWritten]).toEqual([2, 1, 1, 2]);
    expect((await store.range('BTCUSDT', '1m', FROM, FROM))[0]).toEqual(binance);
    expect((await new KlineStore(redis.client, TICKS_NAMESPACE).range('BTCUSDT', '1m', FROM, FROM))[0].trades).toBe(expectedBars()[0].trades > 5000 ? 5000 : expectedBars()[0].trades);
  });

  it('stops after runFor with the minute in progress left pending, and says when the stream lost entries to trimming', async () => {
    await simulateTicks({ symbols: ['BTCUSDT'], from: FROM, to: t('2025-08-01T00:02Z'), watermark: false }, ctx(), { redis: redis.client });
    const r = await klinesFromTicks({ clock: 'event', runFor: '5s' }, ctx(), { redis: redis.client });
    expect(r.stoppedBecause).toBe('runFor');
    expect(r.bars).toBe(2);
    expect(r.openBars).toEqual([{ symbol: 'BTCUSDT', bars: 1, from: '2025-08-01T00:02:00.000Z', to: '2025-08-01T00:02:00.000Z', ticks: expect.any(Number) }]);
    expect(r.pending).toBe(r.openBars[0].ticks);
    expect(r.lostToTrim).toBe(false);
    // The bot's MAXLEN drops entries this group has not read yet.
    await simulateTicks({ symbols: ['BTCUSDT'], from: t('2025-08-01T00:03Z'), to: t('2025-08-01T00:03Z') }, ctx(), { redis: redis.client });
    await redis.client.xtrim('market.tick', 'MAXLEN', 10);
    const after = await klinesFromTicks({ clock: 'event', idle: '300ms' }, ctx(), { redis: redis.client });
    expect(after.lostToTrim).toBe(true);
    expect(after.summary).toMatch(/WARNING: the stream trimmed entries/);
  });

  it('rejects bad input without touching the stream', async () => {
    await expect(klinesFromTicks({ clock: 'wall' as any }, ctx(), { redis: redis.client })).rejects.toThrow(/clock must be 'arrival' or 'event'/);
    await expect(klinesFromTicks({ grace: '2 seconds' }, ctx(), { redis: redis.client })).rejects.toThrow(/grace: invalid duration/);
    await expect(klinesFromTicks({ symbols: ['btc'] }, ctx(), { redis: redis.client })).rejects.toThrow(/symbols: "btc"/);
    await redis.client.set('not-a-stream', 'x');
    await expect(klinesFromTicks({ stream: 'not-a-stream', runFor: '1s' }, ctx(), { redis: redis.client })).rejects.toThrow(/is not a stream/);
  });
});
