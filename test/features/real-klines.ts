// Real shipped klines for tests, read once per test file.
import type { Kline } from '../../activities/binance/kline';
import { klineFile, readKlinesCsv } from '../../activities/binance/kline-csv';

const cache = new Map<string, Kline[]>();

export function realKlines(symbol = 'BTCUSDT'): Kline[] {
  let k = cache.get(symbol);
  if (!k) cache.set(symbol, (k = readKlinesCsv(klineFile(symbol))));
  return k;
}

/** Bars with open time in [from, to) (ISO strings or ms). */
export function klinesBetween(symbol: string, from: string | number, to: string | number): Kline[] {
  const a = typeof from === 'string' ? Date.parse(from) : from;
  const b = typeof to === 'string' ? Date.parse(to) : to;
  return realKlines(symbol).filter((k) => k.openTime >= a && k.openTime < b);
}

export const MINUTE = 60_000;
