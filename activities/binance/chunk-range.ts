// Splits a long backfill (years × symbols) into chunks a workflow can run as separate activities.
import { InvalidInputError } from '../errors';
import { INTERVAL_MS } from './kline';
import { alignDown, alignUp } from './ranges';
import { parseTimeInput } from './time-input';

export interface KlineChunk {
  /** First and last open time of the chunk (inclusive, ms). */
  from: number;
  to: number;
  bars: number;
}

/** Consecutive, non-overlapping chunks of at most maxBarsPerChunk bars covering [from, to]. */
export function chunkRange(from: number | string, to: number | string, interval: string, maxBarsPerChunk = 100_000): KlineChunk[] {
  const I = INTERVAL_MS[interval];
  if (!I) throw new InvalidInputError(`unknown interval ${interval}`);
  if (!(maxBarsPerChunk >= 1)) throw new InvalidInputError(`maxBarsPerChunk must be >= 1`);
  const a = alignUp(parseTimeInput(from, 'from'), I);
  const b = alignDown(parseTimeInput(to, 'to'), I);
  const out: KlineChunk[] = [];
  const span = Math.floor(maxBarsPerChunk) * I;
  for (let s = a; s <= b; s += span) {
    const e = Math.min(b, s + span - I);
    out.push({ from: s, to: e, bars: (e - s) / I + 1 });
  }
  return out;
}

/**
 * Chunks on calendar-month boundaries (UTC): each is `months` whole months clipped to [from, to],
 * so a past month of a long backfill is one monthly kline archive (data.binance.vision) rather
 * than the daily archives of two months' edges.
 */
export function chunkRangeByMonths(from: number | string, to: number | string, interval: string, months: number): KlineChunk[] {
  const I = INTERVAL_MS[interval];
  if (!I) throw new InvalidInputError(`unknown interval ${interval}`);
  if (!(Number.isInteger(months) && months >= 1)) throw new InvalidInputError('months must be an integer >= 1');
  const a = alignUp(parseTimeInput(from, 'from'), I);
  const b = alignDown(parseTimeInput(to, 'to'), I);
  const out: KlineChunk[] = [];
  for (let s = a; s <= b; ) {
    const d = new Date(s);
    const next = alignUp(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1), I);
    const e = Math.min(b, next - I);
    out.push({ from: s, to: e, bars: (e - s) / I + 1 });
    s = e + I;
  }
  return out;
}

/** Whole months per chunk for about `bars` bars (at least one month): 1 for 1m, 4 for 5m, 58 for 1h. */
export function monthsForBars(interval: string, bars: number): number {
  const I = INTERVAL_MS[interval];
  if (!I) throw new InvalidInputError(`unknown interval ${interval}`);
  return Math.max(1, Math.floor(bars / ((31 * 86_400_000) / I)));
}
