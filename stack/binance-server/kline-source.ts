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

// Per process, shared by every server instance (tests start several): parsing a file takes seconds.
const barsByFile = new Map<string, Kline[]>();
const rowsByFile = new Map<string, { lines: string[]; rows: string[] }>();

export class KlineSource {

  constructor(readonly dir: string = KLINES_DIR) {}

  symbols(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((f) => /^([A-Z0-9]+)-1m\.csv(\.gz)?$/.exec(f)?.[1])
      .filter((s): s is string => !!s)
      .sort();
  }

  has(symbol: string): boolean {
    return existsSync(klineFile(symbol, '1m', this.dir));
  }

  /** 1m bars sorted by open time. */
  bars(symbol: string): Kline[] {
    const file = klineFile(symbol, '1m', this.dir);
    let bars = barsByFile.get(file);
    if (!bars) {
      bars = readKlinesCsv(file);
      bars.sort((a, b) => a.openTime - b.openTime);
      barsByFile.set(file, bars);
    }
    return bars;
  }

  /**
   * /api/v3/klines row JSON of 1m bars [from, to) of bars(), built from the file's own text (and
   * kept): formatting numbers per request would cost more than everything else the server does.
   */
  rows1m(symbol: string, from: number, to: number): string[] {
    const file = klineFile(symbol, '1m', this.dir);
    let cached = rowsByFile.get(file);
    if (!cached) {
      const raw = readFileSync(file);
      const lines = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n').slice(1).filter((l) => l);
      const bars = this.bars(symbol);
      if (lines.length !== bars.length || Number(lines[0].split(',', 1)[0]) !== bars[0].openTime) {
        throw new Error(`${file}: rows are not sorted by open time`);
      }
      rowsByFile.set(file, (cached = { lines, rows: new Array<string>(lines.length) }));
    }
    const out = new Array<string>(to - from);
    for (let i = from; i < to; i++) {
      let row = cached.rows[i];
      if (row === undefined) {
        const f = cached.lines[i].split(',');
        const close = f[6] ? f[6] : String(Number(f[0]) + 59_999);
        row = cached.rows[i] = `[${f[0]},"${pad8(f[1])}","${pad8(f[2])}","${pad8(f[3])}","${pad8(f[4])}","${pad8(f[5])}",${close},"${pad8(f[7] ?? '')}",${f[8] || 0},"${pad8(f[9] ?? '')}","${pad8(f[10] ?? '')}","0"]`;
      }
      out[i - from] = row;
    }
    return out;
  }
}
