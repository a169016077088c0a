// Turns a downloaded kline archive into the store's records: checks the zip against its
// .CHECKSUM (sha256), unzips it, parses its one CSV and keeps the bars the backfill needs; then,
// for decodeAndStore, writes them (KlineStore.upsertRecords) and says what it wrote. CPU work on
// bytes plus one store write, so it runs the same inline or on a decode thread
// (archive-decode-pool.ts). An archive that fails any step is "unavailable", with the reason;
// only unexpected faults (a store error) throw.
import { createHash } from 'node:crypto';
import { RECORD_FIELDS } from './kline-codec';
import type { KlineStore } from './kline-store';
import { ArchiveDataError, parseArchiveCsv, type ArchiveBars, type ParseScratch } from './archive-csv';
import type { Range } from './ranges';
import { ZipError, readZip } from './zip-reader';

export interface DecodeRequest {
  zip: Uint8Array;
  /** The .CHECKSUM file's bytes: "<sha256 hex>  <file name>". */
  checksum: Uint8Array;
  intervalMs: number;
  /** The archive's open-time span [from, to] (ms): rows outside it are an error-free skip. */
  from: number;
  to: number;
  /** The parts of it the backfill needs (sorted inclusive open-time ranges): only these are kept. */
  need: Range[];
  /** The archive's path, for messages. */
  path: string;
}

export type Unavailable = { status: 'unavailable'; reason: string };
export type DecodeResult = { status: 'ok'; bars: ArchiveBars } | Unavailable;

/** What decodeAndStore wrote: bars kept, records written and unchanged, and the needed open times the archive lacks. */
export interface StoredArchive {
  n: number;
  written: number;
  unchanged: number;
  /** The open times of `need` the archive has no bar for (a short file's hole), as ranges. */
  holes: Range[];
}
export type StoreResult = { status: 'ok'; stored: StoredArchive } | Unavailable;

const asBuffer = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** With `scratch`, the bars are views of it (see parseArchiveCsv). */
export function decodeArchive(req: DecodeRequest, scratch?: ParseScratch): DecodeResult {
  const zip = asBuffer(req.zip);
  const checksum = asBuffer(req.checksum);
  const unavailable = (reason: string): Unavailable => ({ status: 'unavailable', reason });
  const expected = /^[0-9a-f]{64}/i.exec(checksum.toString('latin1').trim())?.[0].toLowerCase();
  if (!expected) return unavailable(`unreadable .CHECKSUM: ${JSON.stringify(checksum.toString('latin1').slice(0, 80))}`);
  const actual = createHash('sha256').update(zip).digest('hex');
  if (actual !== expected) return unavailable(`checksum mismatch: sha256 ${actual}, .CHECKSUM says ${expected}`);
  try {
    const csv = readZip(zip, req.path).filter((e) => e.name.endsWith('.csv'));
    if (csv.length !== 1) return unavailable(`expected one .csv in the zip, found ${csv.length}`);
    const bars = parseArchiveCsv(csv[0].data, req.intervalMs, req.from, req.to, `${req.path}!${csv[0].name}`, scratch);
    return { status: 'ok', bars: keepOnly(bars, req.need) };
  } catch (e) {
    if (e instanceof ZipError || e instanceof ArchiveDataError) return unavailable(e.message);
    throw e;
  }
}

/**
 * decodeArchive, then the kept bars written to `store` (idempotent upsert, as every write). A
 * scratch must not be shared by calls in flight at once. `exclusive`: the store's connection is
 * the caller's alone (a decode thread's), so chunks not stored yet are written without Lua
 * (KlineStore.upsertRecordsExclusive).
 */
export async function decodeAndStore(req: DecodeRequest, store: KlineStore, symbol: string, interval: string, scratch?: ParseScratch, exclusive = false): Promise<StoreResult> {
  const d = decodeArchive(req, scratch);
  if (d.status !== 'ok') return d;
  const { bars } = d;
  const w = exclusive
    ? await store.upsertRecordsExclusive(symbol, interval, bars.openTimes, bars.records)
    : await store.upsertRecords(symbol, interval, bars.openTimes, bars.records);
  return { status: 'ok', stored: { n: bars.n, ...w, holes: holesOf(req.need, bars.openTimes, req.intervalMs) } };
}

/** The bars whose open time lies in one of `need` (sorted ranges), compacted in place. */
function keepOnly(b: ArchiveBars, need: Range[]): ArchiveBars {
  if (b.n === 0 || (need.length === 1 && need[0][0] <= b.openTimes[0] && need[0][1] >= b.openTimes[b.n - 1])) return b;
  let k = 0;
  let r = 0;
  for (let i = 0; i < b.n; i++) {
    const t = b.openTimes[i];
    while (r < need.length && need[r][1] < t) r++;
    if (r === need.length) break;
    if (t < need[r][0]) continue;
    if (k !== i) {
      b.openTimes[k] = t;
      b.records.copyWithin(k * RECORD_FIELDS, i * RECORD_FIELDS, (i + 1) * RECORD_FIELDS);
    }
    k++;
  }
  return { ...b, openTimes: b.openTimes.subarray(0, k), records: b.records.subarray(0, k * RECORD_FIELDS), n: k };
}

/** The open times of `need` (sorted ranges) that `got` (sorted open times) lacks, as ranges. */
function holesOf(need: Range[], got: Float64Array, I: number): Range[] {
  const holes: Range[] = [];
  let i = 0;
  for (const [a, b] of need) {
    while (i < got.length && got[i] < a) i++;
    for (let t = a; t <= b; t += I) {
      if (i < got.length && got[i] === t) {
        i++;
        continue;
      }
      const last = holes.at(-1);
      if (last && last[1] + I === t) last[1] = t;
      else holes.push([t, t]);
    }
  }
  return holes;
}
