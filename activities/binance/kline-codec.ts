// Klines as fixed-size binary records (10 little-endian float64: open, high, low, close, volume,
// quoteVolume, trades, takerBuyBase, takerBuyQuote, closeTime). A record's position in its chunk
// gives the open time; an all-zero closeTime marks an absent bar.
import type { Kline } from './kline';

export const RECORD_BYTES = 80;
export const RECORD_FIELDS = 10;
const FIELDS = RECORD_FIELDS;

/** Encodes bars [from, to) into records, one after the other. */
export function encodeRun(klines: Kline[], from: number, to: number): Buffer {
  const a = new Float64Array((to - from) * FIELDS);
  for (let i = from, j = 0; i < to; i++, j += FIELDS) {
    const k = klines[i];
    a[j] = k.open;
    a[j + 1] = k.high;
    a[j + 2] = k.low;
    a[j + 3] = k.close;
    a[j + 4] = k.volume;
    a[j + 5] = k.quoteVolume;
    a[j + 6] = k.trades;
    a[j + 7] = k.takerBuyBase;
    a[j + 8] = k.takerBuyQuote;
    a[j + 9] = k.closeTime;
  }
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Float64 view of a buffer (copied when its offset is not 8-aligned). */
function float64(buf: Buffer): Float64Array {
  const n = Math.floor(buf.byteLength / RECORD_BYTES) * FIELDS;
  if (buf.byteOffset % 8 === 0) return new Float64Array(buf.buffer, buf.byteOffset, n);
  const copy = new Float64Array(n);
  new Uint8Array(copy.buffer).set(buf.subarray(0, n * 8));
  return copy;
}

/** Decodes the present records of a chunk slice whose first record opens at firstOpen. */
export function decodeRecords(buf: Buffer, firstOpen: number, intervalMs: number, out: Kline[]): void {
  const a = float64(buf);
  for (let j = 0, t = firstOpen; j < a.length; j += FIELDS, t += intervalMs) {
    if (a[j + 9] === 0) continue;
    out.push({
      openTime: t,
      open: a[j],
      high: a[j + 1],
      low: a[j + 2],
      close: a[j + 3],
      volume: a[j + 4],
      closeTime: a[j + 9],
      quoteVolume: a[j + 5],
      trades: a[j + 6],
      takerBuyBase: a[j + 7],
      takerBuyQuote: a[j + 8],
    });
  }
}

/** Open times of the present records of a chunk. */
export function presentTimes(buf: Buffer, firstOpen: number, intervalMs: number): number[] {
  const a = float64(buf);
  const out: number[] = [];
  for (let j = 0, t = firstOpen; j < a.length; j += FIELDS, t += intervalMs) if (a[j + 9] !== 0) out.push(t);
  return out;
}

/** Bars as columns (no object per bar): what the feature kernels read. */
export interface KlineColumns {
  openTime: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Appends the present records of a chunk slice to columns at index `at`; returns the new length. */
export function decodeColumns(buf: Buffer, firstOpen: number, intervalMs: number, out: KlineColumns, at: number): number {
  const a = float64(buf);
  let k = at;
  for (let j = 0, t = firstOpen; j < a.length; j += FIELDS, t += intervalMs) {
    if (a[j + 9] === 0) continue;
    out.openTime[k] = t;
    out.high[k] = a[j + 1];
    out.low[k] = a[j + 2];
    out.close[k] = a[j + 3];
    out.volume[k] = a[j + 4];
    k++;
  }
  return k;
}
