// Rolling statistics over the last p values (the current one included), population SD (÷p), in
// one pass: the window's sums slide (add the new value, remove the one leaving), taken relative
// to an anchor near the window's mean. Every p values (once the window has turned over) the
// anchor moves to the current window's mean and the sums are recomputed afresh, so rounding never
// accumulates past one window; a window whose variance is lost in cancellation (below 1e-8 of
// its mean square about the anchor) is recomputed afresh too. A flat window (p equal values) has
// a mean equal to that value and an SD of exactly 0, as a sum of 20 equal prices divided by 20
// need not give the price back.
// Loops read a typed array's length once, into a local, never in the loop condition: once any
// ArrayBuffer in the process has been detached (a worker's message ports, module loaders do),
// V8 re-reads and re-checks `.length` on every iteration (~25% slower loops).
import { nanPrefix } from './nan-prefix';

/** What a window's mean m and SD sd become, written at its last index i (one loop, no extra pass). */
export enum Emit {
  /** a[i] = m. */
  Mean,
  /** a[i] = sd. */
  Sd,
  /** a[i] = (v[i] − m)/sd, 0 on a flat window. */
  ZScore,
  /** Bollinger with k SDs: a[i] = %B (0.5 on a flat window), b[i] = bandwidth (upper − lower)/m. */
  Bollinger,
}

/** Writes the statistic of each window v[i−p+1..i] for i ≥ from+p−1; earlier indexes are left alone. */
export function rollingWindows(v: Float64Array, p: number, from: number, emit: Emit, a: Float64Array, b?: Float64Array, k = 0): void {
  const n = v.length;
  const first = from + p - 1;
  if (first >= n) return;
  const invP = 1 / p;
  let same = 1; // length of the run of equal values ending at i
  for (let i = from + 1; i < first; i++) same = v[i] === v[i - 1] ? same + 1 : 1;
  let anchor = 0;
  let s1 = 0;
  let s2 = 0;
  let since = p;
  for (let i = first; i < n; i++) {
    const x = v[i];
    if (i > from) same = x === v[i - 1] ? same + 1 : 1;
    let m: number;
    let sd: number;
    if (same >= p) {
      m = x;
      sd = 0;
      since = p;
    } else {
      if (since >= p) {
        anchor = windowMean(v, i, p);
        s1 = 0;
        s2 = 0;
        for (let j = i - p + 1; j <= i; j++) {
          const d = v[j] - anchor;
          s1 += d;
          s2 += d * d;
        }
        since = 0;
      } else {
        const dx = x - anchor;
        const dy = v[i - p] - anchor;
        s1 += dx - dy;
        s2 += dx * dx - dy * dy;
      }
      since++;
      let dm = s1 * invP;
      let variance = s2 * invP - dm * dm;
      if (!(variance > s2 * invP * 1e-8)) {
        anchor = windowMean(v, i, p);
        s1 = 0;
        s2 = 0;
        for (let j = i - p + 1; j <= i; j++) {
          const d = v[j] - anchor;
          s1 += d;
          s2 += d * d;
        }
        since = 1;
        dm = s1 * invP;
        variance = s2 * invP - dm * dm;
      }
      m = anchor + dm;
      sd = variance > 0 ? Math.sqrt(variance) : 0;
    }
    switch (emit) {
      case Emit.Mean:
        a[i] = m;
        break;
      case Emit.Sd:
        a[i] = sd;
        break;
      case Emit.ZScore:
        a[i] = sd === 0 ? 0 : (x - m) / sd;
        break;
      case Emit.Bollinger: {
        const upper = m + sd * k;
        const lower = m - sd * k;
        const range = upper - lower;
        a[i] = sd === 0 ? 0.5 : (x - lower) / range;
        b![i] = range / m;
        break;
      }
    }
  }
}

function windowMean(v: Float64Array, end: number, p: number): number {
  let s = 0;
  for (let j = end - p + 1; j <= end; j++) s += v[j];
  return s / p;
}

/**
 * Volatility: SD of the last p one-bar log returns, defined from index p. `lnClose` is ln(close)
 * (computeBarFeatures takes it once for all return features); scratch holds n values.
 */
export function logReturnVolatility(lnClose: Float64Array, period: number, out: Float64Array, scratch: Float64Array = new Float64Array(lnClose.length)): void {
  const n = lnClose.length;
  const r = scratch.subarray(0, n);
  for (let i = 1; i < n; i++) r[i] = lnClose[i] - lnClose[i - 1];
  returnVolatility(r, period, out);
}

/** Volatility from one-bar returns already taken (r[i] for i ≥ 1; r[0] is not read), e.g. the ret_1 column. */
export function returnVolatility(r: Float64Array, period: number, out: Float64Array): void {
  nanPrefix(out, period);
  if (r.length <= period) return;
  rollingWindows(r, period, 1, Emit.Sd, out);
}

/** (v − mean)/SD over the last p values, defined from index p−1; 0 when the window is flat (e.g. no trades). */
export function zScore(values: Float64Array, period: number, out: Float64Array): void {
  nanPrefix(out, period - 1);
  rollingWindows(values, period, 0, Emit.ZScore, out);
}
