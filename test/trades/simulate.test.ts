import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Kline } from '../../activities/binance/kline';
import { EMA_CROSS_DEFAULTS, simulateEmaCross } from '../../activities/trades/simulate';
import { renderSimulatedTrades, SIMULATED_FILE, simulateDemoTrades } from '../../activities/trades/simulated-file';

const bar = (openTime: number, o: number, h: number, l: number, c: number): Kline => ({
  openTime, open: o, high: h, low: l, close: c, volume: 1, closeTime: openTime + 59_999, quoteVolume: 0, trades: 0, takerBuyBase: 0, takerBuyQuote: 0,
});

describe('simulated demo trades', () => {
  it('the committed file is exactly what the rule produces from the real klines', () => {
    const trades = simulateDemoTrades();
    expect(trades.length).toBeGreaterThan(500);
    expect(new Set(trades.map((t) => t.symbol))).toEqual(new Set(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']));
    expect(renderSimulatedTrades(trades)).toBe(readFileSync(SIMULATED_FILE, 'utf8'));
  });

  it('enters at the open after a cross up and takes the stop when stop and target touch in one bar', () => {
    const p = { ...EMA_CROSS_DEFAULTS, warmupBars: 2, fast: 2, slow: 4 };
    const t0 = Date.UTC(2023, 3, 1);
    const closes = [100, 99, 98, 97, 96, 100, 104]; // 5m closes: falling, then a cross up at the 6th
    const klines: Kline[] = [];
    closes.forEach((c, j) => { for (let m = 0; m < 5; m++) klines.push(bar(t0 + (j * 5 + m) * 60_000, c, c, c, c)); });
    const entryTime = klines[klines.length - 5].openTime; // first 1m bar after the 6th 5m close
    klines.push(bar(klines[klines.length - 1].openTime + 60_000, 104, 104, 104, 104));
    const [t] = simulateEmaCross('TESTUSDT', klines, p);
    expect(t).toBeUndefined(); // the 7th 5m bar has no exit yet: the open position is not reported
    const wide = bar(klines[klines.length - 1].openTime + 60_000, 104, 110, 90, 104); // +5.8 % and −13 % in one minute
    const [trade] = simulateEmaCross('TESTUSDT', [...klines, wide], p);
    expect(trade).toMatchObject({ entry_time_ms: entryTime, entry_price: 104, exit_price: 102.96, exit_time_ms: wide.openTime + 60_000, simulated: true });
    expect(trade.pnl_pct).toBeCloseTo(100 * (102.96 * 0.999 - 104 * 1.001) / (104 * 1.001), 6);
  });
});
