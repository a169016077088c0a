// The tick simulator against the real shipped bars: aggregating its ticks gives back each bar's
// open/high/low/close/volume exactly, and its trade count and taker-buy volume where the source
// has them (pure: no servers).
import { describe, expect, it } from 'vitest';
import { MinuteBars, barToKline } from '../../activities/klines/minute-bars';
import { shippedBars, type ShippedBar } from '../../activities/klines/shipped-klines';
import { synthesizeTicks } from '../../activities/klines/tick-synth';
import { parseTickEntry } from '../../activities/klines/tick';

const t = (s: string) => Date.parse(s);

function aggregate(symbol: string, bar: ShippedBar, seed = 1, maxTicksPerBar = 5000) {
  const synth = synthesizeTicks(symbol, bar, { seed, maxTicksPerBar });
  const bars = new MinuteBars(-Infinity);
  // Through the stream parser, as the consumer sees them, in a shuffled arrival order.
  const entries = synth.ticks.map((k, i) => ({ i, fields: ['symbol', k.symbol, 'price', k.price, 'qty', k.qty, 'time', String(k.time), 'side', k.side, 'tradeId', k.tradeId] }));
  entries.sort((a, b) => ((a.i * 7919) % 101) - ((b.i * 7919) % 101));
  for (const e of entries) {
    const p = parseTickEntry(e.fields, Date.now());
    if (p.kind !== 'tick') throw new Error(`rejected: ${JSON.stringify(p)}`);
    expect(bars.add(p.tick, `1-${e.i}`)).toBe('accepted');
  }
  const closed = bars.closeThrough(Infinity);
  return { synth, kline: closed.length ? barToKline(closed[0]) : undefined };
}

describe('klines.simulateTicks tick synthesis', () => {
  it('reproduces full Binance bars (BTCUSDT 2025-08-01, every column real) exactly, quote volume to ~1e-7', () => {
    const bars = shippedBars('BTCUSDT', t('2025-08-01T00:00Z'), t('2025-08-01T00:29Z'));
    expect(bars).toHaveLength(30);
    let worstQuote = 0;
    for (const b of bars) {
      expect(b.trades).toBeGreaterThan(0);
      const { synth, kline } = aggregate('BTCUSDT', b, 1, 10_000);
      expect(synth.countFromSource).toBe(true);
      expect(synth.takerBuyFromSource).toBe(true);
      expect(kline).toBeDefined();
      expect(kline!.open).toBe(Number(b.open));
      expect(kline!.high).toBe(Number(b.high));
      expect(kline!.low).toBe(Number(b.low));
      expect(kline!.close).toBe(Number(b.close));
      expect(kline!.volume).toBe(Number(b.volume));
      expect(kline!.trades).toBe(b.trades);
      expect(kline!.takerBuyBase).toBe(Number(b.takerBuyBase));
      worstQuote = Math.max(worstQuote, Math.abs(kline!.quoteVolume - Number(b.quoteVolume)) / Number(b.quoteVolume));
    }
    expect(worstQuote).toBeLessThan(1e-6);
  });

  it('reproduces OHLCV of OHLCV-only bars (four symbols, April 2023) with a synthetic count of 4–12', () => {
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']) {
      const bars = shippedBars(symbol, t('2023-04-20T00:00Z'), t('2023-04-20T03:59Z'));
      expect(bars.length).toBeGreaterThan(200);
      for (const b of bars) {
        expect(b.trades).toBeUndefined();
        const { synth, kline } = aggregate(symbol, b);
        if (Number(b.volume) === 0) {
          expect(synth.ticks).toHaveLength(0);
          continue;
        }
        expect(synth.countFromSource).toBe(false);
        expect([kline!.open, kline!.high, kline!.low, kline!.close, kline!.volume]).toEqual([b.open, b.high, b.low, b.close, b.volume].map(Number));
        expect(kline!.trades).toBeGreaterThanOrEqual(1);
        expect(kline!.trades).toBeLessThanOrEqual(12);
        expect(kline!.takerBuyBase).toBeLessThanOrEqual(kline!.volume);
      }
    }
  });

  it('caps the tick count and says the count no longer comes from the source', () => {
    const [b] = shippedBars('BTCUSDT', t('2025-08-01T00:00Z'), t('2025-08-01T00:00Z'));
    const { synth, kline } = aggregate('BTCUSDT', b, 1, 50);
    expect(synth.ticks).toHaveLength(50);
    expect(synth.countFromSource).toBe(false);
    expect(kline!.volume).toBe(Number(b.volume));
    expect(kline!.high).toBe(Number(b.high));
  });

  it('is deterministic per (seed, symbol, minute) and changes with the seed', () => {
    const [b] = shippedBars('ETHUSDT', t('2023-04-20T00:00Z'), t('2023-04-20T00:00Z'));
    const a1 = synthesizeTicks('ETHUSDT', b, { seed: 1, maxTicksPerBar: 5000 }).ticks;
    const a2 = synthesizeTicks('ETHUSDT', b, { seed: 1, maxTicksPerBar: 5000 }).ticks;
    const a3 = synthesizeTicks('ETHUSDT', b, { seed: 2, maxTicksPerBar: 5000 }).ticks;
    expect(a2).toEqual(a1);
    expect(a3).not.toEqual(a1);
  });
});
