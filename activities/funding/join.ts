// Funding rates as features of dataset rows, as of each row's time (pure). A row at time t sees
// only settlements at or before t: `funding_rate` is the last one, `funding_rate_mean_N` the mean
// of the last N. A row whose last settlement is older than maxAgeMs, or that has fewer than N
// settlements before it, gets no values and is dropped (with its reason counted).
import type { FundingRate } from './record';

export interface FundingJoin {
  names: string[];
  /** Row-major values, names.length per row; NaN for dropped rows. */
  values: Float64Array;
  keep: Uint8Array;
  dropped: Record<string, number>;
}

export const STALE = 'no funding rate settled in the max age before the sample';
export const SHORT = 'fewer funding rates before the sample than the window';

export function joinFunding(symbols: readonly string[], times: ArrayLike<number>, records: ReadonlyMap<string, readonly FundingRate[]>, window: number, maxAgeMs: number): FundingJoin {
  const names = ['funding_rate', `funding_rate_mean_${window}`];
  const n = times.length;
  const values = new Float64Array(n * 2).fill(NaN);
  const keep = new Uint8Array(n);
  const dropped: Record<string, number> = Object.create(null);
  const drop = (why: string) => (dropped[why] = (dropped[why] ?? 0) + 1);
  for (let r = 0; r < n; r++) {
    const recs = records.get(symbols[r]) ?? [];
    const t = times[r];
    // Last settlement at or before t.
    let lo = 0;
    let hi = recs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (recs[mid].time <= t) lo = mid + 1;
      else hi = mid;
    }
    const last = lo - 1;
    if (last < 0 || t - recs[last].time > maxAgeMs) {
      drop(STALE);
      continue;
    }
    if (last + 1 < window) {
      drop(SHORT);
      continue;
    }
    let sum = 0;
    for (let i = last - window + 1; i <= last; i++) sum += recs[i].rate;
    values[r * 2] = recs[last].rate;
    values[r * 2 + 1] = sum / window;
    keep[r] = 1;
  }
  return { names, values, keep, dropped };
}
