// Parses a kline archive's CSV (data.binance.vision: the 12 fields of a /api/v3/klines row, no
// header row in spot files) straight from bytes into the store's binary records (kline-codec.ts),
// with no object or string per bar, and checks it as parseKlineRows checks a REST answer: integer
// times on the interval's grid, strictly increasing, close time = open time + interval − 1,
// finite non-negative numbers, a coherent high/low. Spot timestamps from 2025-01-01 on are in
// microseconds: any time ≥ 1e14 is read as microseconds and stored in milliseconds.
import { RECORD_FIELDS as RECORD_FIELDS_EXPORT } from './kline-codec';

// A local copy: an imported binding may compile to a getter call per use, and this is read per row.
const RECORD_FIELDS = RECORD_FIELDS_EXPORT;

export class ArchiveDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveDataError';
  }
}

export interface ArchiveBars {
  /** Open times (ms), one per bar. */
  openTimes: Float64Array;
  /** RECORD_FIELDS numbers per bar, in kline-codec's order. */
  records: Float64Array;
  n: number;
  /** Whether the file's timestamps were in microseconds. */
  microseconds: boolean;
}

const MICROSECONDS_FROM = 1e14; // a millisecond time reaches 1e14 in the year 5138
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TWO_53 = 2 ** 53;
const COMMA = 44;
const LF = 10;
const CR = 13;
const DOT = 46;
const FIELDS = 12;
const NAMES = ['open time', 'open', 'high', 'low', 'close', 'volume', 'close time', 'quote volume', 'trades', 'taker buy base volume', 'taker buy quote volume', 'ignore'];

/** Memory a caller reuses from one archive to the next (grown as needed): fewer big allocations. */
export interface ParseScratch {
  openTimes?: Float64Array;
  records?: Float64Array;
}

/**
 * Bars of `csv` with open time in [from, to] (ms); `where` names the file in errors. With
 * `scratch`, the result's arrays are views of the scratch memory, valid until its next use.
 */
export function parseArchiveCsv(csv: Buffer, intervalMs: number, from: number, to: number, where: string, scratch?: ParseScratch): ArchiveBars {
  let cap = 1;
  for (let i = csv.indexOf(LF); i >= 0; i = csv.indexOf(LF, i + 1)) cap++;
  let openTimes: Float64Array;
  let records: Float64Array;
  if (scratch) {
    if (!scratch.openTimes || scratch.openTimes.length < cap) {
      scratch.openTimes = new Float64Array(cap);
      scratch.records = new Float64Array(cap * RECORD_FIELDS);
    }
    openTimes = scratch.openTimes;
    records = scratch.records!;
  } else {
    openTimes = new Float64Array(cap);
    records = new Float64Array(cap * RECORD_FIELDS);
  }
  let n = 0;
  let pos = 0;
  let line = 1;
  let prev = -Infinity;
  let micro = false;
  const len = csv.length;
  // A header row (futures files have one): first byte not a digit.
  if (len > 0 && (csv[0] < 48 || csv[0] > 57)) {
    while (pos < len && csv[pos] !== LF) pos++;
    pos++;
    line++;
  }
  const fail = (what: string): never => {
    throw new ArchiveDataError(`${where}:${line}: ${what}`);
  };
  const f = new Float64Array(FIELDS);
  const dv = new DataView(csv.buffer, csv.byteOffset, csv.byteLength);
  while (pos < len) {
    let c = csv[pos];
    if (c === LF || c === CR) {
      pos++;
      if (c === LF) line++;
      continue;
    }
    // The 12 decimal fields of the row, each up to a comma (the last up to the line's end).
    for (let k = 0; k < FIELDS; k++) {
      const start = pos;
      let mant = 0;
      let dot = -1;
      // Digits four at a time where four are there (Binance writes 8-digit fractions and 13- or
      // 16-digit times): one little-endian read, a check that all four bytes are '0'..'9', and
      // the value by pairs (SWAR); then one at a time; then once more after a dot.
      for (;;) {
        while (pos + 4 <= len) {
          const w = dv.getUint32(pos, true);
          if ((w & 0xf0f0f0f0) !== 0x30303030 || ((w + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) break;
          let d = w - 0x30303030;
          d = (d * 10 + (d >>> 8)) & 0x00ff00ff;
          mant = mant * 10_000 + ((d & 0xff) * 100 + (d >>> 16));
          pos += 4;
        }
        for (; pos < len; pos++) {
          c = csv[pos];
          if (c < 48 || c > 57) break;
          mant = mant * 10 + (c - 48);
        }
        if (pos < len && c === DOT && dot < 0) {
          dot = pos++;
          continue;
        }
        break;
      }
      if (pos < len) c = csv[pos];
      const digits = pos - start - (dot < 0 ? 0 : 1);
      const atEnd = pos >= len || c === LF || c === CR;
      if (digits === 0) fail(atEnd && pos === start ? `${NAMES[k]} missing (fewer than ${FIELDS} fields)` : `${NAMES[k]} is empty or not a decimal`);
      if (k < FIELDS - 1) {
        if (atEnd) fail(`${NAMES[k + 1]} missing (fewer than ${FIELDS} fields)`);
        if (c !== COMMA) fail(`${NAMES[k]} is not a non-negative decimal: ${JSON.stringify(csv.toString('latin1', start, Math.min(len, pos + 12)))}`);
      } else if (!atEnd) fail(c === COMMA ? `more than ${FIELDS} fields` : `${NAMES[k]} is not a non-negative decimal`);
      // Below 2^53 the digits accumulate exactly and a power of ten up to 1e22 is exact, so one
      // correctly rounded division gives exactly what Number() would, whatever the digit count
      // (16-digit microsecond times included); larger mantissas take the slow, exact path.
      const frac = dot < 0 ? 0 : pos - dot - 1;
      f[k] = mant < TWO_53 && frac <= 22 ? (frac > 0 ? mant / POW10[frac] : mant) : Number(csv.toString('latin1', start, pos));
      if (k < FIELDS - 1) pos++;
    }
    const raw = f[0];
    const rawClose = f[6];
    const o = f[1];
    const h = f[2];
    const l = f[3];
    const cl = f[4];
    // The usual row opens one interval after the previous one: on the grid and increasing by
    // construction, so only the other rows pay for the full checks (float % is a libm call).
    const next = prev + intervalMs;
    let open: number;
    let rowMicro: boolean;
    if (raw === next && raw < MICROSECONDS_FROM) {
      open = next;
      rowMicro = false;
    } else if (raw === next * 1000 && raw >= MICROSECONDS_FROM) {
      open = next;
      rowMicro = true;
    } else {
      open = raw;
      rowMicro = open >= MICROSECONDS_FROM;
      if (rowMicro) {
        if (open % 1000 !== 0) fail(`open time ${open} (µs) is not a whole millisecond`);
        open /= 1000;
      }
      if (!Number.isSafeInteger(open) || open % intervalMs !== 0) fail(`open time ${open} is not on the ${intervalMs} ms grid`);
      if (open <= prev) fail(`open time ${open} does not increase (previous ${prev})`);
    }
    // In microseconds, any time within the close millisecond.
    const closeMs = open + intervalMs - 1;
    if (rowMicro ? !(rawClose >= closeMs * 1000 && rawClose < closeMs * 1000 + 1000) : rawClose !== closeMs) {
      fail(`close time ${rowMicro ? Math.floor(rawClose / 1000) : rawClose} != open time + interval - 1`);
    }
    if (rowMicro) micro = true;
    if (!Number.isSafeInteger(f[8])) fail(`trades ${f[8]} is not an integer`);
    if (h < o || h < cl || h < l || l > o || l > cl) fail(`high/low inconsistent with open/close (${o}, ${h}, ${l}, ${cl})`);
    prev = open;
    if (open < from || open > to) continue;
    if (n === cap) fail('more rows than lines');
    openTimes[n] = open;
    const r = n * RECORD_FIELDS;
    records[r] = o;
    records[r + 1] = h;
    records[r + 2] = l;
    records[r + 3] = cl;
    records[r + 4] = f[5];
    records[r + 5] = f[7];
    records[r + 6] = f[8];
    records[r + 7] = f[9];
    records[r + 8] = f[10];
    records[r + 9] = open + intervalMs - 1;
    n++;
  }
  return { openTimes: openTimes.subarray(0, n), records: records.subarray(0, n * RECORD_FIELDS), n, microseconds: micro };
}
