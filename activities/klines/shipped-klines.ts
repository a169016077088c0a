// The shipped 1m klines (data/klines/SYMBOL-1m.csv.gz) as the text the file holds, with which
// columns the source actually had: the simulators replay exact decimals, and must know whether a
// bar's trade count and taker-buy volume are real or absent (most sources are OHLCV only).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { klineFile, KLINES_DIR } from '../binance/kline-csv';
import { InvalidInputError } from '../errors';

export interface ShippedBar {
  openTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  /** Absent (undefined) where the source had no such column. */
  quoteVolume?: string;
  trades?: number;
  takerBuyBase?: string;
  takerBuyQuote?: string;
}

const cache = new Map<string, { times: Float64Array; lines: string[] }>();

function load(file: string) {
  let c = cache.get(file);
  if (!c) {
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch {
      throw new InvalidInputError(`no shipped klines at ${file}`);
    }
    const lines = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n').slice(1).filter((l) => l);
    const times = Float64Array.from(lines, (l) => Number(l.slice(0, l.indexOf(','))));
    cache.set(file, (c = { times, lines }));
  }
  return c;
}

function parse(line: string): ShippedBar {
  const f = line.split(',');
  const opt = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);
  return {
    openTime: Number(f[0]),
    open: f[1],
    high: f[2],
    low: f[3],
    close: f[4],
    volume: f[5],
    quoteVolume: opt(f[7]),
    trades: opt(f[8]) === undefined ? undefined : Number(f[8]),
    takerBuyBase: opt(f[9]),
    takerBuyQuote: opt(f[10]),
  };
}

/** Shipped 1m bars of a symbol with open time in [from, to], sorted. */
export function shippedBars(symbol: string, from: number, to: number, dir = KLINES_DIR): ShippedBar[] {
  const { times, lines } = load(klineFile(symbol, '1m', dir));
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  const out: ShippedBar[] = [];
  for (let i = lo; i < times.length && times[i] <= to; i++) out.push(parse(lines[i]));
  return out;
}
