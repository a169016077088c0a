// Reads the project's kline files (data/klines/SYMBOL-INTERVAL.csv.gz, the normalized format of
// ../shared/data/PROVENANCE.md). Empty columns (most sources are OHLCV-only) become 0, except
// close_time, which Binance defines as openTime + interval - 1 when the source omits it.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { INTERVAL_MS, type Kline } from './kline';

export const KLINES_DIR = path.resolve(__dirname, '../../data/klines');

export function klineFile(symbol: string, interval = '1m', dir = KLINES_DIR): string {
  return path.join(dir, `${symbol}-${interval}.csv.gz`);
}

export function readKlinesCsv(file: string, intervalMs = INTERVAL_MS['1m']): Kline[] {
  const raw = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const lines = text.split('\n');
  const out: Kline[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const f = line.split(',');
    const openTime = Number(f[0]);
    const num = (s: string | undefined) => (s === undefined || s === '' ? 0 : Number(s));
    out.push({
      openTime,
      open: Number(f[1]),
      high: Number(f[2]),
      low: Number(f[3]),
      close: Number(f[4]),
      volume: Number(f[5]),
      closeTime: f[6] ? Number(f[6]) : openTime + intervalMs - 1,
      quoteVolume: num(f[7]),
      trades: num(f[8]),
      takerBuyBase: num(f[9]),
      takerBuyQuote: num(f[10]),
    });
  }
  return out;
}
