// The aggregation policy (pure): ticks reordered within a minute, duplicates by trade id, late
// ticks after their minute closed, exact decimal sums.
import { describe, expect, it } from 'vitest';
import { MinuteBars, barToKline } from '../../activities/klines/minute-bars';
import { parseTickEntry, type Tick } from '../../activities/klines/tick';

const T0 = Date.parse('2025-08-01T00:00:00Z');

function tick(sec: number, price: string, qty: string, side: 'buy' | 'sell', tradeId?: number): Tick {
  const fields = ['symbol', 'BTCUSDT', 'price', price, 'qty', qty, 'time', String(T0 + sec * 1000), 'side', side];
  if (tradeId !== undefined) fields.push('tradeId', String(tradeId));
  const p = parseTickEntry(fields, Infinity);
  if (p.kind !== 'tick') throw new Error(JSON.stringify(p));
  return p.tick;
}

describe('MinuteBars', () => {
  it('builds open/close by trade time whatever the arrival order, with exact sums', () => {
    const bars = new MinuteBars(-Infinity);
    // Arrive out of order: the 50 s trade first, the 1 s trade last.
    expect(bars.add(tick(50, '100.3', '0.1', 'sell', 5), 'a')).toBe('accepted');
    expect(bars.add(tick(10, '100.9', '0.2', 'buy', 2), 'b')).toBe('accepted');
    expect(bars.add(tick(30, '99.1', '0.3', 'buy', 3), 'c')).toBe('accepted');
    expect(bars.add(tick(1, '100.0', '0.1', 'buy', 1), 'd')).toBe('accepted');
    expect(bars.closeThrough(T0 + 59_999)).toEqual([]);
    const [b] = bars.closeThrough(T0 + 60_000);
    const k = barToKline(b);
    expect(k).toEqual({
      openTime: T0, open: 100.0, high: 100.9, low: 99.1, close: 100.3, volume: 0.7, closeTime: T0 + 59_999,
      quoteVolume: 69.94, trades: 4, takerBuyBase: 0.6, takerBuyQuote: 59.91,
    });
    expect(0.1 + 0.2 + 0.3 + 0.1).not.toBe(0.7); // what a float sum would have given
    expect(b.ids.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('breaks equal times by trade id, then by arrival', () => {
    const bars = new MinuteBars(-Infinity);
    bars.add(tick(5, '2', '1', 'buy', 11), 'x');
    bars.add(tick(5, '1', '1', 'buy', 10), 'y');
    bars.add(tick(7, '3', '1', 'buy'), 'z1');
    bars.add(tick(7, '4', '1', 'buy'), 'z2');
    const k = barToKline(bars.closeThrough(T0 + 60_000)[0]);
    expect([k.open, k.close]).toEqual([1, 4]);
  });

  it('drops a repeated trade id and refuses ticks of closed minutes as late', () => {
    const bars = new MinuteBars(-Infinity);
    expect(bars.add(tick(1, '10', '1', 'buy', 7), 'a')).toBe('accepted');
    expect(bars.add(tick(1, '10', '1', 'buy', 7), 'b')).toBe('duplicate');
    // Without trade ids, identical trades are both real.
    expect(bars.add(tick(2, '10', '1', 'buy'), 'c')).toBe('accepted');
    expect(bars.add(tick(2, '10', '1', 'buy'), 'd')).toBe('accepted');
    expect(bars.closeThrough(T0 + 60_000)).toHaveLength(1);
    expect(bars.add(tick(59, '10', '1', 'sell', 8), 'e')).toBe('late');
    expect(bars.add(tick(60, '10', '1', 'sell', 9), 'f')).toBe('accepted');
    // The clock never goes back.
    bars.closeThrough(0);
    expect(bars.closedThrough).toBe(T0 + 60_000);
  });

  it('rejects malformed ticks with the reason', () => {
    const bad = (fields: string[]) => {
      const p = parseTickEntry(fields, T0 + 3_600_000);
      return p.kind === 'invalid' ? p.reason : p.kind;
    };
    const ok = ['symbol', 'BTCUSDT', 'price', '1.5', 'qty', '2', 'time', String(T0), 'side', 'buy'];
    expect(bad(ok)).toBe('tick');
    expect(bad(ok.map((v) => (v === '1.5' ? '1.5e3' : v)))).toMatch(/^price must be a positive decimal/);
    expect(bad(ok.map((v) => (v === '1.5' ? '0.000000001' : v)))).toMatch(/at most 8 decimals/);
    expect(bad(ok.map((v) => (v === 'buy' ? 'long' : v)))).toMatch(/^side must be 'buy' or 'sell'/);
    expect(bad(ok.map((v) => (v === String(T0) ? String(T0 + 7_200_000) : v)))).toMatch(/in the future/);
    expect(bad(ok.filter((_, i) => i > 1))).toMatch(/^symbol must match/);
    expect(bad(['type', 'watermark', 'time', 'soon'])).toMatch(/^watermark: time/);
    expect(bad(['type', 'trade'])).toMatch(/unknown entry type/);
  });
});
