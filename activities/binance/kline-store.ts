// Klines in Redis. One hash per (symbol, interval, calendar chunk): a UTC day for 1m–5m, a month
// for 15m–2h, a year for 4h–1d, so a chunk holds at most ~3000 bars. Field = the bar's index in
// its chunk, value = the bar's numbers as text. Upserts compare-and-set in one Lua call per chunk
// (idempotent, and they report what changed); HLEN tells whether a chunk is complete, so
// coverage of years of 1m bars costs one pipelined round trip plus HKEYS of partial chunks.
// Known exchange gaps: a sorted set of "from:to" ranges scored by from.
import type Redis from 'ioredis';
import { INTERVAL_MS, type Kline } from './kline';
import { alignDown, alignUp, clipRanges, mergeRanges, runsOf, subtractRanges, type Range } from './ranges';

export interface Coverage {
  /** Contiguous ranges of stored bars. */
  present: Range[];
  /** Ranges the exchange has no bars for (recorded by backfills), not stored. */
  gaps: Range[];
  /** Neither: what a backfill must fetch. */
  missing: Range[];
}

const UPSERT_LUA = `
local written = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) ~= ARGV[i + 1] then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    written = written + 1
  end
end
return written`;

type ChunkUnit = 'day' | 'month' | 'year';

function chunkUnit(intervalMs: number): ChunkUnit {
  if (intervalMs < INTERVAL_MS['15m']) return 'day';
  if (intervalMs < INTERVAL_MS['4h']) return 'month';
  return 'year';
}

function chunkStart(t: number, unit: ChunkUnit): number {
  const d = new Date(t);
  if (unit === 'day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return Date.UTC(d.getUTCFullYear(), 0, 1);
}

function nextChunk(start: number, unit: ChunkUnit): number {
  const d = new Date(start);
  if (unit === 'day') return start + 86_400_000;
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
}

function chunkId(start: number, unit: ChunkUnit): string {
  const iso = new Date(start).toISOString();
  return unit === 'day' ? iso.slice(0, 10) : unit === 'month' ? iso.slice(0, 7) : iso.slice(0, 4);
}

function encode(k: Kline, intervalMs: number): string {
  const base = `${k.open},${k.high},${k.low},${k.close},${k.volume},${k.quoteVolume},${k.trades},${k.takerBuyBase},${k.takerBuyQuote}`;
  return k.closeTime === k.openTime + intervalMs - 1 ? base : `${base},${k.closeTime}`;
}

function decode(openTime: number, v: string, intervalMs: number): Kline {
  const f = v.split(',');
  return {
    openTime,
    open: +f[0],
    high: +f[1],
    low: +f[2],
    close: +f[3],
    volume: +f[4],
    closeTime: f.length > 9 ? +f[9] : openTime + intervalMs - 1,
    quoteVolume: +f[5],
    trades: +f[6],
    takerBuyBase: +f[7],
    takerBuyQuote: +f[8],
  };
}

function intervalMsOf(interval: string): number {
  const ms = INTERVAL_MS[interval];
  if (!ms) throw new Error(`unknown interval ${interval}`);
  return ms;
}

export class KlineStore {
  constructor(readonly redis: Redis) {
    if (!(redis as any).klineUpsert) redis.defineCommand('klineUpsert', { numberOfKeys: 1, lua: UPSERT_LUA });
  }

  /** Prefix of every key of a (symbol, interval). */
  key(symbol: string, interval: string): string {
    return `klines:${symbol}:${interval}`;
  }

  private gapsKey(symbol: string, interval: string): string {
    return `${this.key(symbol, interval)}:gaps`;
  }

  /** The chunks overlapping [from, to]: key, start, end (exclusive). */
  private chunks(symbol: string, interval: string, from: number, to: number) {
    const I = intervalMsOf(interval);
    const unit = chunkUnit(I);
    const out: { key: string; start: number; end: number }[] = [];
    for (let s = chunkStart(from, unit); s <= to; s = nextChunk(s, unit)) {
      out.push({ key: `${this.key(symbol, interval)}:${chunkId(s, unit)}`, start: s, end: nextChunk(s, unit) });
    }
    return out;
  }

  /** Writes bars keyed by open time; identical bars are left alone. */
  async upsert(symbol: string, interval: string, klines: Kline[]): Promise<{ written: number; unchanged: number }> {
    if (klines.length === 0) return { written: 0, unchanged: 0 };
    const I = intervalMsOf(interval);
    const unit = chunkUnit(I);
    const byChunk = new Map<string, string[]>();
    let lastStart = NaN;
    let lastEnd = NaN;
    let args: string[] = [];
    for (const k of klines) {
      if (!(k.openTime >= lastStart && k.openTime < lastEnd)) {
        lastStart = chunkStart(k.openTime, unit);
        lastEnd = nextChunk(lastStart, unit);
        const key = `${this.key(symbol, interval)}:${chunkId(lastStart, unit)}`;
        args = byChunk.get(key) ?? [];
        byChunk.set(key, args);
      }
      const offset = k.openTime - lastStart;
      args.push(offset % I === 0 ? String(offset / I) : `@${k.openTime}`, encode(k, I));
    }
    const pipe = this.redis.pipeline();
    for (const [key, a] of byChunk) (pipe as any).klineUpsert(key, ...a);
    let written = 0;
    for (const [err, n] of (await pipe.exec())!) {
      if (err) throw err;
      written += n as number;
    }
    return { written, unchanged: klines.length - written };
  }

  /** Bars with open time in [fromMs, toMs], sorted. */
  async range(symbol: string, interval: string, fromMs: number, toMs: number): Promise<Kline[]> {
    const I = intervalMsOf(interval);
    const chunks = this.chunks(symbol, interval, fromMs, toMs);
    const pipe = this.redis.pipeline();
    for (const c of chunks) pipe.hgetall(c.key);
    const res = (await pipe.exec())!;
    const out: Kline[] = [];
    chunks.forEach((c, i) => {
      const [err, hash] = res[i] as [Error | null, Record<string, string>];
      if (err) throw err;
      const part: Kline[] = [];
      for (const field in hash) {
        const t = field[0] === '@' ? Number(field.slice(1)) : c.start + Number(field) * I;
        if (t >= fromMs && t <= toMs) part.push(decode(t, hash[field], I));
      }
      part.sort((a, b) => a.openTime - b.openTime);
      for (const k of part) out.push(k);
    });
    return out;
  }

  /** Records open-time ranges the exchange has no bars for. */
  async recordGaps(symbol: string, interval: string, gaps: Range[]): Promise<void> {
    if (gaps.length === 0) return;
    const args: (string | number)[] = [];
    for (const [a, b] of gaps) args.push(a, `${a}:${b}`);
    await this.redis.zadd(this.gapsKey(symbol, interval), ...args);
  }

  /** Recorded gaps overlapping [fromMs, toMs], merged. */
  async gaps(symbol: string, interval: string, fromMs: number, toMs: number): Promise<Range[]> {
    const I = intervalMsOf(interval);
    const members = await this.redis.zrangebyscore(this.gapsKey(symbol, interval), '-inf', toMs);
    const ranges = members.map((m) => m.split(':').map(Number) as Range).filter((r) => r[1] >= fromMs);
    return clipRanges(mergeRanges(ranges, I), [fromMs, toMs]);
  }

  /** Stored ranges, known gaps, and what is neither, for open times in [fromMs, toMs]. */
  async coverage(symbol: string, interval: string, fromMs: number, toMs: number): Promise<Coverage> {
    const I = intervalMsOf(interval);
    const within: Range = [alignUp(fromMs, I), alignDown(toMs, I)];
    if (within[1] < within[0]) return { present: [], gaps: [], missing: [] };
    const chunks = this.chunks(symbol, interval, within[0], within[1]);
    const lens = (await chunks.reduce((p, c) => p.hlen(c.key), this.redis.pipeline()).exec())!;
    const partial = chunks.filter((c, i) => {
      const n = lens[i][1] as number;
      return n > 0 && n < (c.end - c.start) / I;
    });
    const keys = partial.length
      ? (await partial.reduce((p, c) => p.hkeys(c.key), this.redis.pipeline()).exec())!
      : [];
    const present: Range[] = [];
    let k = 0;
    chunks.forEach((c, i) => {
      const n = lens[i][1] as number;
      if (n === 0) return;
      if (n >= (c.end - c.start) / I) {
        present.push([c.start, c.end - I]);
        return;
      }
      const fields = keys[k++][1] as string[];
      const times = fields.filter((f) => f[0] !== '@').map((f) => c.start + Number(f) * I).sort((a, b) => a - b);
      present.push(...runsOf(times, I));
    });
    const presentIn = clipRanges(mergeRanges(present, I), within);
    const gaps = (await this.gaps(symbol, interval, within[0], within[1])).flatMap((g) => subtractRanges(g, presentIn, I));
    const missing = subtractRanges(within, mergeRanges([...presentIn, ...gaps], I), I);
    return { present: presentIn, gaps, missing };
  }
}
