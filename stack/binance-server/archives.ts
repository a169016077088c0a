// data.binance.vision's kline archives, built from the server's data on first request and kept:
//   /data/spot/monthly/klines/SYM/1m/SYM-1m-2023-04.zip          (+ .CHECKSUM: "<sha256>  <file>")
//   /data/spot/daily/klines/SYM/1m/SYM-1m-2023-04-05.zip
// One headerless CSV per zip, the 12 fields of a /api/v3/klines row; times in microseconds from
// 2025-01-01 on, as Binance's spot archives. A file exists once its period has ended (server
// clock) and has at least one bar; otherwise 404, as on the archive host. Faults for tests: a file
// made missing, corrupt (its bytes no longer match the checksum) or short (an hour of bars left
// out, which REST still serves).
import { createHash } from 'node:crypto';
import { INTERVAL_MS } from '../../activities/binance/kline';
import { select1mIndexes, selectKlines, klineRowJson } from './aggregate';
import type { KlineSource } from './kline-source';
import { writeZip } from './zip-writer';

export interface ArchiveFaults {
  /** File names without .zip (e.g. "BTCUSDT-1m-2023-04"): served as 404. */
  missing?: string[];
  /** Served with one byte changed, so the sha256 no longer matches .CHECKSUM. */
  corrupt?: string[];
  /** Served without the bars of the period's 13th hour (REST still has them). */
  short?: string[];
}

export interface ArchiveStats {
  archiveFiles: number;
  archiveBytes: number;
  archiveRows: number;
  archiveChecksums: number;
}

const PATH = /^\/data\/spot\/(monthly|daily)\/klines\/([A-Z0-9]+)\/(\w+)\/([A-Z0-9]+)-(\w+)-(\d{4}-\d{2}(?:-\d{2})?)\.zip(\.CHECKSUM)?$/;
const MICROSECONDS_FROM = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

interface Built {
  zip: Buffer;
  checksum: string;
  rows: number;
}

export class ArchiveHost {
  private cache = new Map<string, Built | null>();
  faults: ArchiveFaults = {};
  stats: ArchiveStats = { archiveFiles: 0, archiveBytes: 0, archiveRows: 0, archiveChecksums: 0 };

  constructor(private readonly source: KlineSource) {}

  /** The answer to a GET of `path`, or undefined when the path is not an archive path. */
  get(path: string, now: number): { status: number; body: Buffer | string; type: string } | undefined {
    const m = PATH.exec(path);
    if (!m) return undefined;
    const [, kind, symbol, interval, fileSymbol, fileInterval, period, checksum] = m;
    const notFound = { status: 404, body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>', type: 'application/xml' };
    const I = INTERVAL_MS[interval];
    if (!I || symbol !== fileSymbol || interval !== fileInterval || (kind === 'monthly') !== (period.length === 7) || !this.source.has(symbol)) return notFound;
    const start = Date.parse(kind === 'monthly' ? `${period}-01T00:00:00Z` : `${period}T00:00:00Z`);
    if (!Number.isFinite(start) || new Date(start).toISOString().slice(0, period.length) !== period) return notFound;
    const d = new Date(start);
    const end = kind === 'monthly' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : start + 86_400_000;
    if (end > now) return notFound;
    const name = `${symbol}-${interval}-${period}`;
    if (this.faults.missing?.includes(name)) return notFound;
    const built = this.build(name, symbol, I, start, end, now);
    if (!built) return notFound;
    if (checksum) {
      this.stats.archiveChecksums++;
      return { status: 200, body: built.checksum, type: 'text/plain' };
    }
    this.stats.archiveFiles++;
    this.stats.archiveBytes += built.zip.length;
    this.stats.archiveRows += built.rows;
    let zip = built.zip;
    if (this.faults.corrupt?.includes(name)) {
      zip = Buffer.from(zip);
      zip[Math.floor(zip.length / 2)] ^= 0xff;
    }
    return { status: 200, body: zip, type: 'application/zip' };
  }

  /** Builds (or takes from the cache) every archive of the given symbols' data: benchmarks. */
  preload(kind: 'monthly' | 'daily', interval: string, now: number): number {
    let n = 0;
    for (const symbol of this.source.symbols()) {
      const bars = this.source.bars(symbol);
      if (bars.length === 0) continue;
      const seen = new Set<string>();
      for (const k of bars) {
        const iso = new Date(k.openTime).toISOString();
        const period = kind === 'monthly' ? iso.slice(0, 7) : iso.slice(0, 10);
        if (seen.has(period)) continue;
        seen.add(period);
        const r = this.get(`/data/spot/${kind}/klines/${symbol}/${interval}/${symbol}-${interval}-${period}.zip.CHECKSUM`, now);
        if (r?.status === 200) n++;
      }
    }
    this.stats.archiveFiles = this.stats.archiveBytes = this.stats.archiveRows = this.stats.archiveChecksums = 0;
    return n;
  }

  private build(name: string, symbol: string, I: number, start: number, end: number, now: number): Built | null {
    const short = this.faults.short?.includes(name) ?? false;
    const key = `${name}${short ? ':short' : ''}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    let rows = this.rows(symbol, I, start, end, now);
    if (short) rows = rows.filter((r) => {
      const t = Number(r.slice(0, r.indexOf(',')));
      const open = t >= 1e14 ? t / 1000 : t;
      return open < start + 12 * HOUR || open >= start + 13 * HOUR;
    });
    let built: Built | null = null;
    if (rows.length > 0) {
      const zip = writeZip([{ name: `${name}.csv`, data: Buffer.from(rows.join('\n') + '\n', 'latin1') }]);
      built = { zip, checksum: `${createHash('sha256').update(zip).digest('hex')}  ${name}.zip\n`, rows: rows.length };
    }
    this.cache.set(key, built);
    return built;
  }

  /** CSV rows (no header) of the period, from the same row text /api/v3/klines sends. */
  private rows(symbol: string, I: number, start: number, end: number, now: number): string[] {
    const bars = this.source.bars(symbol);
    const json =
      I === 60_000
        ? (() => {
            const [from, to] = select1mIndexes(bars, { intervalMs: I, startTime: start, endTime: end - 1, limit: Number.MAX_SAFE_INTEGER, now, tzOffsetMs: 0 });
            return this.source.rows1m(symbol, from, to);
          })()
        : selectKlines(bars, { intervalMs: I, startTime: start, endTime: end - 1, limit: Number.MAX_SAFE_INTEGER, now, tzOffsetMs: 0 }).map(klineRowJson);
    return json.map((row) => {
      const f = row.slice(1, -1).replace(/"/g, '').split(',');
      if (Number(f[0]) >= MICROSECONDS_FROM) {
        f[0] = `${f[0]}000`;
        f[6] = `${f[6]}999`;
      }
      return f.join(',');
    });
  }
}
