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
