// The server's market data: the project's real 1m klines, loaded lazily per symbol and cached.
import { existsSync, readdirSync } from 'node:fs';
import { KLINES_DIR, klineFile, readKlinesCsv } from '../../activities/binance/kline-csv';
import type { Kline } from '../../activities/binance/kline';

export class KlineSource {
  private cache = new Map<string, Kline[]>();

  constructor(readonly dir: string = KLINES_DIR) {}

  symbols(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((f) => /^([A-Z0-9]+)-1m\.csv(\.gz)?$/.exec(f)?.[1])
      .filter((s): s is string => !!s)
      .sort();
  }

  has(symbol: string): boolean {
    return this.cache.has(symbol) || existsSync(klineFile(symbol, '1m', this.dir));
  }

  /** 1m bars sorted by open time. */
  bars(symbol: string): Kline[] {
    let bars = this.cache.get(symbol);
    if (!bars) {
      bars = readKlinesCsv(klineFile(symbol, '1m', this.dir));
      bars.sort((a, b) => a.openTime - b.openTime);
      this.cache.set(symbol, bars);
    }
    return bars;
  }
}
