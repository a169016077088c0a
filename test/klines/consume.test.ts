// klines.consume on a real redis-server: the bot's finished bars go into the store; duplicates,
// revisions, in-progress updates, early pushes and malformed entries follow the policy.
import { describe, expect, it, beforeEach } from 'vitest';
import { localContext } from '../../activities/context';
import { KlineStore } from '../../activities/binance/kline-store';
import { klinesConsume, BOT_NAMESPACE } from '../../activities/klines/consume-bars';
import { simulateBars } from '../../activities/klines/simulate';
import { shippedBars } from '../../activities/klines/shipped-klines';
import { fieldMap } from '../../activities/klines/tick';
import { useRedis } from '../support/redis';

const redis = useRedis();
const ctx = () => localContext({ quiet: true });
const t = (s: string) => Date.parse(s);

beforeEach(async () => {
  await redis.client.flushall();
});

describe('klines.consume', () => {
  it('writes the pushed bars exactly (full Binance rows and OHLCV-only ones), duplicates once', async () => {
    const from = t('2025-08-01T00:00Z');
    const to = t('2025-08-01T01:59Z');
    const sim = await simulateBars({ symbols: ['BTCUSDT'], from, to, duplicates: 0.1 }, ctx(), { redis: redis.client });
    const sim2 = await simulateBars({ symbols: ['ETHUSDT', 'XRPUSDT'], from: '2023-04-20', to: '2023-04-20T05:59Z' }, ctx(), { redis: redis.client });
    expect(sim.bars).toBe(120);
    expect(sim.duplicatesSent).toBeGreaterThan(3);
    const r = await klinesConsume({ idle: '500ms', batch: 50 }, ctx(), { redis: redis.client });
    expect(r.bars + r.duplicates).toBe(sim.entries + sim2.entries);
    expect(r.duplicates).toBe(sim.duplicatesSent);
    expect([r.mainAdded, r.liveAdded, r.invalid, r.revised, r.pending]).toEqual([840, 840, 0, 0, 0]);
    expect(r.simulatedBars).toBe(r.entries);
    expect(r.barsBySymbol).toEqual({ BTCUSDT: 120, ETHUSDT: 360, XRPUSDT: 360 });
    expect(r.bars).toBe(840);

    const want = shippedBars('BTCUSDT', from, to);
    for (const ns of [undefined, BOT_NAMESPACE]) {
      const got = await new KlineStore(redis.client, ns).range('BTCUSDT', '1m', from, to);
      expect(got.map((k) => [k.openTime, k.open, k.high, k.low, k.close, k.volume, k.quoteVolume, k.trades, k.takerBuyBase, k.takerBuyQuote])).toEqual(
        want.map((b) => [b.openTime, ...[b.open, b.high, b.low, b.close, b.volume, b.quoteVolume].map(Number), b.trades, Number(b.takerBuyBase), Number(b.takerBuyQuote)]),
      );
    }
    const xrp = await new KlineStore(redis.client).range('XRPUSDT', '1m', t('2023-04-20'), t('2023-04-20T05:59Z'));
    expect(xrp).toHaveLength(360);
    expect(xrp.every((k) => k.trades === 0 && k.takerBuyBase === 0)).toBe(true);
  });

  it('applies the policy: revisions win in its copy, in-progress and early bars are not written, bad entries are dead letters', async () => {
    const c = redis.client;
    const m = t('2025-08-01T00:00Z');
    const bar = (open: string, extra: string[] = []) => ['symbol', 'BTCUSDT', 'openTime', String(m), 'open', open, 'high', '10', 'low', '1', 'close', '5', 'volume', '2', ...extra];
    await c.xadd('market.klines', '*', ...bar('4'));
    await c.xadd('market.klines', '*', ...bar('4', ['closed', 'false']));
    const r1 = await klinesConsume({ idle: '300ms' }, ctx(), { redis: c });
    expect([r1.bars, r1.inProgress, r1.revised, r1.mainAdded, r1.entries]).toEqual([1, 1, 0, 1, 2]);
    // A later, different version of the same minute: a revision (the store's bar was ours).
    await c.xadd('market.klines', '*', ...bar('6'));
    // Binance's bar for the next minute is in the store; the bot's must not replace it.
    const store = new KlineStore(c);
    const binance = { openTime: m + 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1, closeTime: m + 119_999, quoteVolume: 1, trades: 1, takerBuyBase: 0, takerBuyQuote: 0 };
    await store.upsert('BTCUSDT', '1m', [binance]);
    await c.xadd('market.klines', '*', 'symbol', 'BTCUSDT', 'openTime', String(m + 60_000), 'open', '2', 'high', '2', 'low', '2', 'close', '2', 'volume', '3');
    // Pushed while its minute is still running.
    // Not in the last seconds of a minute: the entry must be pushed while `running` still runs.
    const redisNow = async () => { const [s, us] = await c.time(); return Number(s) * 1000 + Math.floor(Number(us) / 1000); };
    let now = await redisNow();
    if (now % 60_000 > 55_000) {
      await new Promise((r) => setTimeout(r, 60_000 - (now % 60_000) + 200));
      now = await redisNow();
    }
    const running = Math.floor(now / 60_000) * 60_000;
    await c.xadd('market.klines', '*', 'symbol', 'BTCUSDT', 'openTime', String(running), 'open', '1', 'high', '1', 'low', '1', 'close', '1', 'volume', '1');
    await c.xadd('market.klines', '*', ...bar('11'));
    await c.xadd('market.klines', '*', 'symbol', 'BTCUSDT', 'openTime', String(m + 30_000), 'open', '1', 'high', '1', 'low', '1', 'close', '1', 'volume', '1');
    const r2 = await klinesConsume({ idle: '300ms' }, ctx(), { redis: c });
    expect([r2.bars, r2.revised, r2.kept, r2.invalid]).toEqual([2, 1, 1, 3]);
    expect((await store.range('BTCUSDT', '1m', m, m))[0].open).toBe(6);
    expect((await store.range('BTCUSDT', '1m', m + 60_000, m + 60_000))[0]).toEqual(binance);
    expect((await new KlineStore(c, BOT_NAMESPACE).range('BTCUSDT', '1m', m + 60_000, m + 60_000))[0].open).toBe(2);
    expect(await store.range('BTCUSDT', '1m', running, running)).toEqual([]);
    const reasons = (await c.xrange('market.klines.deadletter', '-', '+')).map(([, f]) => fieldMap(f).reason);
    expect(reasons).toEqual([
      expect.stringMatching(/^invalid: pushed at .*, before its minute ended/),
      'invalid: high/low inconsistent with open/close (11, 10, 1, 5)',
      `invalid: openTime ${m + 30_000} is not on the minute`,
    ]);
  });
});
