// Klines in Redis. One string per (symbol, interval, calendar chunk) — a UTC day for 1m–5m, a
// month for 15m–2h, a year for 4h–1d, so at most ~3000 bars — holding fixed-size binary records
// at offset index × 80 (kline-codec.ts). A contiguous run of bars is one SETRANGE, done by a Lua
// compare-and-set that also counts new and changed records, so upserts are idempotent and cheap
// on both sides (a range with nothing stored yet is written without comparing), and range reads
// are GETRANGEs decoded without parsing text. A hash of per-chunk
// bar counts makes coverage of years of 1m bars one HMGET plus the partial chunks.
// Known exchange gaps: a sorted set of "from:to" ranges scored by from.
import type Redis from 'ioredis';
import { INTERVAL_MS, type Kline } from './kline';
import { RECORD_BYTES, decodeColumns, decodeRecords, encodeRun, presentTimes, type KlineColumns } from './kline-codec';
import { alignDown, alignUp, clipRanges, mergeRanges, runsOf, subtractRanges, type Range } from './ranges';

export interface Coverage {
  /** Contiguous ranges of stored bars. */
  present: Range[];
  /** Ranges the exchange has no bars for (recorded by backfills), not stored. */
  gaps: Range[];
  /** Neither: what a backfill must fetch. */
  missing: Range[];
}

// KEYS: chunk string, counts hash. ARGV: chunk id, then (byte offset, records) pairs.
const UPSERT_LUA = `
local rec = ${RECORD_BYTES}
local absent = string.rep('\\0', 8)
local written, added = 0, 0
for i = 2, #ARGV, 2 do
  local off = tonumber(ARGV[i])
  local new = ARGV[i + 1]
  local old = redis.call('GETRANGE', KEYS[1], off, off + #new - 1)
  if #old == 0 then
    -- Nothing stored there yet (a fresh chunk or past its end): every record is new.
    written = written + #new / rec
    added = added + #new / rec
    redis.call('SETRANGE', KEYS[1], off, new)
  elseif old ~= new then
    for a = 1, #new, rec do
      local o = string.sub(old, a, a + rec - 1)
      if o ~= string.sub(new, a, a + rec - 1) then
        written = written + 1
        if #o < rec or string.sub(o, rec - 7, rec) == absent then added = added + 1 end
      end
    end
    redis.call('SETRANGE', KEYS[1], off, new)
  end
end
if added > 0 then redis.call('HINCRBY', KEYS[2], ARGV[1], added) end
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

function intervalMsOf(interval: string): number {
  const ms = INTERVAL_MS[interval];
  if (!ms) throw new Error(`unknown interval ${interval}`);
  return ms;
}

interface Chunk {
  id: string;
  key: string;
  start: number;
  /** Exclusive. */
  end: number;
}

/** Consecutive bars of one chunk: where they go (byte offset) and their encoded records. */
export interface ChunkRuns {
  /** The chunk's string key, its id (a field of the counts hash) and the counts hash key. */
  key: string;
  id: string;
  countsKey: string;
  /** (byte offset, records) pairs. */
  runs: Array<[number, Buffer]>;
}

export class KlineStore {
  /**
   * `namespace` prefixes every key (default 'klines', the store every stage reads). Other
   * namespaces hold copies in the same format, e.g. the bars live consumers built.
   */
  constructor(readonly redis: Redis, readonly namespace = 'klines') {
    if (!(redis as any).klineUpsert) redis.defineCommand('klineUpsert', { numberOfKeys: 2, lua: UPSERT_LUA });
  }

  /** Prefix of every key of a (symbol, interval). */
  key(symbol: string, interval: string): string {
    return `${this.namespace}:${symbol}:${interval}`;
  }

  private countsKey(symbol: string, interval: string): string {
    return `${this.key(symbol, interval)}:counts`;
  }

  private gapsKey(symbol: string, interval: string): string {
    return `${this.key(symbol, interval)}:gaps`;
  }

  private chunkAt(symbol: string, interval: string, t: number, unit: ChunkUnit): Chunk {
    const start = chunkStart(t, unit);
    const id = chunkId(start, unit);
    return { id, key: `${this.key(symbol, interval)}:${id}`, start, end: nextChunk(start, unit) };
  }

  /** The chunks overlapping [from, to]. */
  private chunks(symbol: string, interval: string, from: number, to: number): Chunk[] {
    const unit = chunkUnit(intervalMsOf(interval));
    const out: Chunk[] = [];
    for (let s = chunkStart(from, unit); s <= to; s = nextChunk(s, unit)) out.push(this.chunkAt(symbol, interval, s, unit));
    return out;
  }

  /** Bar counts of the given chunks; over a long span, one HGETALL instead of asking for each. */
  private async chunkCounts(symbol: string, interval: string, chunks: Chunk[]): Promise<number[]> {
    const key = this.countsKey(symbol, interval);
    if (chunks.length <= 64) return (await this.redis.hmget(key, ...chunks.map((c) => c.id))).map(Number);
    const all = await this.redis.hgetall(key);
    return chunks.map((c) => Number(all[c.id] ?? 0));
  }

  /**
   * Groups bars (deduplicated by open time, later ones winning) into runs of consecutive bars per
   * chunk, encoded. Open times must be on the interval's grid.
   */
  chunkRuns(symbol: string, interval: string, klines: Kline[]): ChunkRuns[] {
    const sorted = klines.every((k, i) => i === 0 || k.openTime > klines[i - 1].openTime)
      ? klines
      : [...new Map(klines.map((k) => [k.openTime, k])).values()].sort((a, b) => a.openTime - b.openTime);
    const openTimes = new Float64Array(sorted.length);
    for (let i = 0; i < sorted.length; i++) openTimes[i] = sorted[i].openTime;
    return this.recordRuns(symbol, interval, openTimes, encodeRun(sorted, 0, sorted.length));
  }

  /** The same for bars already encoded (kline-codec's records; `openTimes` strictly increasing). */
  recordRuns(symbol: string, interval: string, openTimes: Float64Array, records: Buffer | Float64Array): ChunkRuns[] {
    const n = openTimes.length;
    const bytes = Buffer.isBuffer(records) ? records : Buffer.from(records.buffer, records.byteOffset, records.byteLength);
    if (bytes.length !== n * RECORD_BYTES) throw new Error(`${n} open times but ${bytes.length / RECORD_BYTES} records`);
    const I = intervalMsOf(interval);
    const unit = chunkUnit(I);
    const countsKey = this.countsKey(symbol, interval);
    const out: ChunkRuns[] = [];
    let i = 0;
    while (i < n) {
      const chunk = this.chunkAt(symbol, interval, openTimes[i], unit);
      const runs: Array<[number, Buffer]> = [];
      while (i < n && openTimes[i] < chunk.end) {
        // One run of consecutive bars inside this chunk.
        let j = i + 1;
        while (j < n && openTimes[j] === openTimes[j - 1] + I && openTimes[j] < chunk.end) j++;
        if (j < n && openTimes[j] <= openTimes[j - 1]) throw new Error(`open times not increasing at ${j}`);
        const offset = openTimes[i] - chunk.start;
        if (offset % I !== 0) throw new Error(`kline open time ${openTimes[i]} is not on the ${interval} grid`);
        runs.push([(offset / I) * RECORD_BYTES, bytes.subarray(i * RECORD_BYTES, j * RECORD_BYTES)]);
        i = j;
      }
      out.push({ key: chunk.key, id: chunk.id, countsKey, runs });
    }
    return out;
  }

  /** Writes bars keyed by open time; identical bars are left alone. Open times must be on the interval's grid. */
  async upsert(symbol: string, interval: string, klines: Kline[]): Promise<{ written: number; unchanged: number }> {
    if (klines.length === 0) return { written: 0, unchanged: 0 };
    return this.write(this.chunkRuns(symbol, interval, klines));
  }

  /**
   * The same from bars already encoded: archives are parsed straight into records, so no object
   * per bar is ever made.
   */
  async upsertRecords(symbol: string, interval: string, openTimes: Float64Array, records: Buffer | Float64Array): Promise<{ written: number; unchanged: number }> {
    if (openTimes.length === 0) return { written: 0, unchanged: 0 };
    return this.write(this.recordRuns(symbol, interval, openTimes, records));
  }

  /**
   * upsertRecords for a caller that alone uses this store's connection (a decode thread's own):
   * the chunks that do not exist yet are written without the Lua script — WATCHed, checked absent,
   * then plain SET/SETRANGE + HINCRBY in one MULTI, which costs Redis less than a script (no copy of
   * the records into Lua and back); the other chunks, and all of them if another client touched a
   * watched chunk before EXEC, go through the Lua upsert. Same contents, counts and result as
   * upsertRecords. WATCH is per connection: never use this on a connection shared with other work.
   */
  async upsertRecordsExclusive(
    symbol: string,
    interval: string,
    openTimes: Float64Array,
    records: Buffer | Float64Array,
    /** Tests: runs between the absence check and EXEC. */
    beforeExec?: () => Promise<void>,
  ): Promise<{ written: number; unchanged: number }> {
    if (openTimes.length === 0) return { written: 0, unchanged: 0 };
    const chunks = this.recordRuns(symbol, interval, openTimes, records);
    const check = this.redis.pipeline().watch(...chunks.map((c) => c.key));
    for (const c of chunks) check.exists(c.key);
    const exists = (await check.exec())!.map(([err, v]) => {
      if (err) throw err;
      return v;
    });
    const fresh = chunks.filter((_, i) => exists[i + 1] === 0);
    const existing = chunks.filter((_, i) => exists[i + 1] !== 0);
    if (fresh.length === 0) {
      await this.redis.unwatch();
      return this.write(chunks);
    }
    await beforeExec?.();
    const tx = this.redis.multi();
    let bars = 0;
    for (const c of fresh) {
      let added = 0;
      for (const [off, buf] of c.runs) {
        // SET takes the argument as it is; SETRANGE on a missing key pads with zero bytes (absent records).
        if (off === 0 && c.runs.length === 1) tx.set(c.key, buf);
        else tx.setrange(c.key, off, buf);
        added += buf.length / RECORD_BYTES;
      }
      tx.hincrby(c.countsKey, c.id, added);
      bars += added;
    }
    const done = await tx.exec();
    if (done === null) return this.write(chunks); // a watched chunk changed meanwhile: compare it all
    for (const [err] of done) if (err) throw err;
    if (existing.length === 0) return { written: bars, unchanged: 0 };
    const rest = await this.write(existing);
    return { written: bars + rest.written, unchanged: rest.unchanged };
  }

  private async write(chunks: ChunkRuns[]): Promise<{ written: number; unchanged: number }> {
    const pipe = this.redis.pipeline();
    let bars = 0;
    for (const c of chunks) {
      (pipe as any).klineUpsert(c.key, c.countsKey, c.id, ...c.runs.flatMap(([off, buf]) => [String(off), buf]));
      bars += c.runs.reduce((n, [, buf]) => n + buf.length / RECORD_BYTES, 0);
    }
    let written = 0;
    for (const [err, w] of (await pipe.exec())!) {
      if (err) throw err;
      written += w as number;
    }
    return { written, unchanged: bars - written };
  }

  /** Bars with open time in [fromMs, toMs], sorted. */
  async range(symbol: string, interval: string, fromMs: number, toMs: number): Promise<Kline[]> {
    const I = intervalMsOf(interval);
    const out: Kline[] = [];
    for (const [buf, start] of await this.slices(symbol, interval, fromMs, toMs)) decodeRecords(buf, start, I, out);
    return out;
  }

  /** The same bars as columns (open time, high, low, close, volume): no object per bar. */
  async rangeColumns(symbol: string, interval: string, fromMs: number, toMs: number): Promise<KlineColumns> {
    const I = intervalMsOf(interval);
    const slices = await this.slices(symbol, interval, fromMs, toMs);
    const cap = slices.reduce((n, [buf]) => n + Math.floor(buf.length / RECORD_BYTES), 0);
    const cols: KlineColumns = { openTime: new Float64Array(cap), high: new Float64Array(cap), low: new Float64Array(cap), close: new Float64Array(cap), volume: new Float64Array(cap) };
    let n = 0;
    for (const [buf, start] of slices) n = decodeColumns(buf, start, I, cols, n);
    return { openTime: cols.openTime.subarray(0, n), high: cols.high.subarray(0, n), low: cols.low.subarray(0, n), close: cols.close.subarray(0, n), volume: cols.volume.subarray(0, n) };
  }

  /** The stored records of [fromMs, toMs], one buffer per non-empty chunk, with its first open time. */
  private async slices(symbol: string, interval: string, fromMs: number, toMs: number): Promise<[Buffer, number][]> {
    const I = intervalMsOf(interval);
    const first = alignUp(fromMs, I);
    const last = alignDown(toMs, I);
    if (last < first) return [];
    const all = this.chunks(symbol, interval, first, last);
    const counts = await this.chunkCounts(symbol, interval, all);
    const chunks = all.filter((_, i) => counts[i] > 0);
    if (chunks.length === 0) return [];
    const pipe = this.redis.pipeline();
    const starts: number[] = [];
    for (const c of chunks) {
      const a = Math.max(first, c.start);
      const b = Math.min(last, c.end - I);
      starts.push(a);
      pipe.getrangeBuffer(c.key, ((a - c.start) / I) * RECORD_BYTES, ((b - c.start) / I + 1) * RECORD_BYTES - 1);
    }
    return (await pipe.exec())!.map(([err, buf], i) => {
      if (err) throw err;
      return [buf as Buffer, starts[i]];
    });
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
    // The recorded gaps are asked for beside the chunk counts: one round trip, not two.
    const recorded = this.gaps(symbol, interval, within[0], within[1]);
    recorded.catch(() => {}); // awaited below, where a failure surfaces
    const counts = await this.chunkCounts(symbol, interval, chunks);
    const partial = chunks.filter((c, i) => counts[i] > 0 && counts[i] < (c.end - c.start) / I);
    const blobs = partial.length ? (await partial.reduce((p, c) => p.getBuffer(c.key), this.redis.pipeline()).exec())! : [];
    const present: Range[] = [];
    let k = 0;
    chunks.forEach((c, i) => {
      if (!(counts[i] > 0)) return;
      if (counts[i] >= (c.end - c.start) / I) present.push([c.start, c.end - I]);
      else present.push(...runsOf(presentTimes(blobs[k++][1] as Buffer, c.start, I), I));
    });
    const presentIn = clipRanges(mergeRanges(present, I), within);
    const gaps = (await recorded).flatMap((g) => subtractRanges(g, presentIn, I));
    const missing = subtractRanges(within, mergeRanges([...presentIn, ...gaps], I), I);
    return { present: presentIn, gaps, missing };
  }
}
