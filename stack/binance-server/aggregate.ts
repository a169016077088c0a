// Builds /api/v3/klines answers from 1m bars: picks the buckets Binance would return for
// startTime/endTime/limit and aggregates each (open of first, max high, min low, close of last,
// sums). A bucket exists if any 1m bar exists in it; the bucket holding the server's "now" is the
// still-open bar, built from the 1m bars opened up to now.
import type { Kline } from '../../activities/binance/kline';

export interface KlineQuery {
  intervalMs: number;
  startTime?: number;
  endTime?: number;
  limit: number;
  now: number;
  /** timeZone offset in ms: buckets start at multiples of the interval in that zone. */
  tzOffsetMs: number;
}

/** First index whose openTime >= t. */
function lowerBound(bars: Kline[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid].openTime < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function bucketOpen(t: number, intervalMs: number, tzOffsetMs: number): number {
  return Math.floor((t + tzOffsetMs) / intervalMs) * intervalMs - tzOffsetMs;
}

function aggregate(bars: Kline[], from: number, to: number, open: number, intervalMs: number): Kline {
  const first = bars[from];
  const k: Kline = {
    openTime: open,
    open: first.open,
    high: first.high,
    low: first.low,
    close: bars[to - 1].close,
    volume: 0,
    closeTime: open + intervalMs - 1,
    quoteVolume: 0,
    trades: 0,
    takerBuyBase: 0,
    takerBuyQuote: 0,
  };
  for (let i = from; i < to; i++) {
    const b = bars[i];
    if (b.high > k.high) k.high = b.high;
    if (b.low < k.low) k.low = b.low;
    k.volume += b.volume;
    k.quoteVolume += b.quoteVolume;
    k.trades += b.trades;
    k.takerBuyBase += b.takerBuyBase;
    k.takerBuyQuote += b.takerBuyQuote;
  }
  return k;
}

/** For 1m: the index range [from, to) of bars() a query returns (1m buckets ignore timeZone). */
export function select1mIndexes(bars: Kline[], q: KlineQuery): [number, number] {
  const lastTime = q.endTime === undefined ? q.now : Math.min(q.now, q.endTime);
  const end = lowerBound(bars, lastTime + 1);
  if (q.startTime === undefined) return [Math.max(0, end - q.limit), end];
  const from = lowerBound(bars, Math.ceil(q.startTime / 60_000) * 60_000);
  return [from, Math.max(from, Math.min(end, from + q.limit))];
}

export function selectKlines(bars: Kline[], q: KlineQuery): Kline[] {
  const I = q.intervalMs;
  const bucket = (t: number) => bucketOpen(t, I, q.tzOffsetMs);
  // Only 1m bars that have opened by "now" exist, and only buckets opened by endTime.
  const lastTime = q.endTime === undefined ? q.now : Math.min(q.now, bucket(q.endTime) + I - 1);
  const end = lowerBound(bars, lastTime + 1);
  const out: Kline[] = [];
  if (q.startTime === undefined) {
    // Most recent buckets, walking back from the end.
    let j = end;
    while (j > 0 && out.length < q.limit) {
      const open = bucket(bars[j - 1].openTime);
      let i = j - 1;
      while (i > 0 && bars[i - 1].openTime >= open) i--;
      out.push(aggregate(bars, i, j, open, I));
      j = i;
    }
    return out.reverse();
  }
  const s = bucket(q.startTime);
  const firstOpen = s === q.startTime ? s : s + I;
  let i = lowerBound(bars, firstOpen);
  while (i < end && out.length < q.limit) {
    const open = bucket(bars[i].openTime);
    let j = i + 1;
    while (j < end && bars[j].openTime < open + I) j++;
    out.push(aggregate(bars, i, j, open, I));
    i = j;
  }
  return out;
}

const n8 = (x: number) => x.toFixed(8);

/** One row as Binance sends it: times and trade count as integers, the rest as strings. */
export function klineRowJson(k: Kline): string {
  return `[${k.openTime},"${n8(k.open)}","${n8(k.high)}","${n8(k.low)}","${n8(k.close)}","${n8(k.volume)}",${k.closeTime},"${n8(k.quoteVolume)}",${k.trades},"${n8(k.takerBuyBase)}","${n8(k.takerBuyQuote)}","0"]`;
}

/** Row JSON of closed bars, which never change, so each is formatted once. */
export class RowCache {
  private rows = new Map<string, Map<number, string>>();

  json(key: string, klines: Kline[], now: number): string {
    let m = this.rows.get(key);
    if (!m) this.rows.set(key, (m = new Map()));
    const parts = new Array<string>(klines.length);
    for (let i = 0; i < klines.length; i++) {
      const k = klines[i];
      // A bar still open at this clock is partial: never served from, nor put in, the cache.
      if (k.closeTime >= now) {
        parts[i] = klineRowJson(k);
        continue;
      }
      let row = m.get(k.openTime);
      if (row === undefined) m.set(k.openTime, (row = klineRowJson(k)));
      parts[i] = row;
    }
    return `[${parts.join(',')}]`;
  }
}

export function klinesJson(klines: Kline[]): string {
  return `[${klines.map(klineRowJson).join(',')}]`;
}
