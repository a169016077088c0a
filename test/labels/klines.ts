import type { Kline } from '../../activities/binance/kline';
import { klineFile, readKlinesCsv } from '../../activities/binance/kline-csv';

export const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'];
export const APRIL = { fromMs: Date.UTC(2023, 3, 1), toMs: Date.UTC(2023, 4, 1) };

const parsed = new Map<string, Kline[]>();

/** Real 1m klines with open time in [fromMs, toMs). */
export function realKlines(symbols: string[], fromMs: number, toMs: number): Record<string, Kline[]> {
  const all = (s: string) => parsed.get(s) ?? parsed.set(s, readKlinesCsv(klineFile(s, '1m'))).get(s)!;
  return Object.fromEntries(symbols.map((s) => [s, all(s).filter((k) => k.openTime >= fromMs && k.openTime < toMs)]));
}

export function bar(openTime: number, o: number, h: number, l: number, c: number): Kline {
  return { openTime, open: o, high: h, low: l, close: c, volume: 1, closeTime: openTime + 59_999, quoteVolume: 0, trades: 0, takerBuyBase: 0, takerBuyQuote: 0 };
}
