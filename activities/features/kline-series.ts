// One symbol's bars as typed arrays (columnar, for speed), sorted by open time, duplicates
// dropped, and split into contiguous runs: a new run starts wherever the open-time difference
// is not exactly one interval (a gap, e.g. an exchange halt).
import type { Kline } from '../binance/kline';

export interface KlineSeries {
  intervalMs: number;
  openTime: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** runStart[i]: index of the first bar of the contiguous run bar i belongs to. */
  runStart: Int32Array;
  /** [start, end) index pairs of the contiguous runs, in order. */
  runs: Array<[number, number]>;
}

export function toKlineSeries(klines: readonly Kline[], intervalMs: number): KlineSeries {
  let sorted = true;
  for (let i = 1; i < klines.length && sorted; i++) sorted = klines[i].openTime > klines[i - 1].openTime;
  const ks = sorted ? klines : dedupeSorted(klines);
  const n = ks.length;
  const s: KlineSeries = {
    intervalMs,
    openTime: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    runStart: new Int32Array(n),
    runs: [],
  };
  let start = 0;
  for (let i = 0; i < n; i++) {
    const k = ks[i];
    s.openTime[i] = k.openTime;
    s.high[i] = k.high;
    s.low[i] = k.low;
    s.close[i] = k.close;
    s.volume[i] = k.volume;
    if (i > 0 && k.openTime - ks[i - 1].openTime !== intervalMs) {
      s.runs.push([start, i]);
      start = i;
    }
    s.runStart[i] = start;
  }
  if (n > 0) s.runs.push([start, n]);
  return s;
}

/** A series over columns already sorted by open time without duplicates (KlineStore.rangeColumns). */
export function klineSeriesFromColumns(c: { openTime: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array }, intervalMs: number): KlineSeries {
  const n = c.openTime.length;
  const s: KlineSeries = { intervalMs, openTime: c.openTime, high: c.high, low: c.low, close: c.close, volume: c.volume, runStart: new Int32Array(n), runs: [] };
  let start = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && c.openTime[i] - c.openTime[i - 1] !== intervalMs) {
      if (!(c.openTime[i] > c.openTime[i - 1])) throw new Error(`kline columns not sorted at ${i}: ${c.openTime[i - 1]} then ${c.openTime[i]}`);
      s.runs.push([start, i]);
      start = i;
    }
    s.runStart[i] = start;
  }
  if (n > 0) s.runs.push([start, n]);
  return s;
}

function dedupeSorted(klines: readonly Kline[]): Kline[] {
  const byTime = new Map<number, Kline>();
  for (const k of klines) byTime.set(k.openTime, k);
  return [...byTime.values()].sort((a, b) => a.openTime - b.openTime);
}

/** Index of the last bar that has closed at time t (openTime + interval ≤ t), or −1. */
export function lastClosedBar(s: KlineSeries, t: number): number {
  const limit = t - s.intervalMs;
  let lo = 0;
  let hi = s.openTime.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s.openTime[mid] <= limit) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}
