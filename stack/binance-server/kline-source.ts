// The server's market data: the project's real 1m klines, loaded lazily per symbol and cached.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { KLINES_DIR, klineFile, readKlinesCsv } from '../../activities/binance/kline-csv';
import type { Kline } from '../../activities/binance/kline';

/** "51696.7" → "51696.70000000": Binance's 8-decimal text, from the CSV's own digits. */
function pad8(s: string): string {
  if (s === '') return '0.00000000';
  const dot = s.indexOf('.');
  if (dot < 0) return `${s}.00000000`;
  const decimals = s.length - dot - 1;
  return decimals >= 8 ? s : s + '00000000'.slice(decimals);
}

export class KlineSource {
  private cache = new Map<string, Kline[]>();
  private rowCache = new Map<string, string[]>();

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

  /**
   * /api/v3/klines row JSON of each 1m bar (same order as bars()), built from the file's text:
   * formatting numbers per request would cost more than everything else the server does.
   */
  rows1m(symbol: string): string[] {
    let rows = this.rowCache.get(symbol);
    if (rows) return rows;
    const file = klineFile(symbol, '1m', this.dir);
    const raw = readFileSync(file);
    const lines = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n');
    const byOpen = new Map<number, string>();
    for (let i = 1; i < lines.length; i++) {
      if (!lines[i]) continue;
      const f = lines[i].split(',');
      const open = Number(f[0]);
      const close = f[6] ? f[6] : String(open + 59_999);
      byOpen.set(open, `[${f[0]},"${pad8(f[1])}","${pad8(f[2])}","${pad8(f[3])}","${pad8(f[4])}","${pad8(f[5])}",${close},"${pad8(f[7] ?? '')}",${f[8] || 0},"${pad8(f[9] ?? '')}","${pad8(f[10] ?? '')}","0"]`);
    }
    rows = this.bars(symbol).map((k) => byOpen.get(k.openTime)!);
    this.rowCache.set(symbol, rows);
    return rows;
  }
}
