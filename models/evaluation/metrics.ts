// Out-of-sample regression metrics for return forecasts. Every function returns a finite number
// for any non-empty input (undefined cases have a documented convention) and throws on empty
// input, so a NaN can never reach a report.

export interface Metrics {
  n: number;
  r2: number;
  mae: number;
  rmse: number;
  /** Hit rate of sign(pred) = sign(y) over samples with y ≠ 0; a zero prediction counts ½. */
  dirAcc: number;
  /** Spearman rank correlation of prediction vs realised value. */
  ic: number;
}

export const METRIC_NAMES = ['r2', 'mae', 'rmse', 'dirAcc', 'ic'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
/** Metrics where smaller is better. */
export const LOWER_IS_BETTER: ReadonlySet<MetricName> = new Set(['mae', 'rmse']);

function checkLengths(y: ArrayLike<number>, p: ArrayLike<number>): void {
  if (y.length === 0) throw new Error('metrics of an empty sample');
  if (y.length !== p.length) throw new Error(`metrics: ${y.length} targets vs ${p.length} predictions`);
}

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** 1 − SSE/SST around the sample's own mean. A constant target (SST = 0) gives 1 if the fit is
 * exact, else 0 — sklearn's `force_finite` convention. */
export function r2(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths(y, p);
  const m = mean(y);
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < y.length; i++) {
    sse += (y[i] - p[i]) ** 2;
    sst += (y[i] - m) ** 2;
  }
  if (sst === 0) return sse === 0 ? 1 : 0;
  return 1 - sse / sst;
}

export function mae(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs(y[i] - p[i]);
  return s / y.length;
}

export function rmse(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - p[i]) ** 2;
  return Math.sqrt(s / y.length);
}

/** A zero-return target has no direction and is skipped; a zero prediction is a coin flip (½).
 * All targets zero → 0.5. */
export function directionalAccuracy(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths(y, p);
  let hits = 0;
  let counted = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 0) continue;
    counted++;
    if (p[i] === 0) hits += 0.5;
    else if (Math.sign(p[i]) === Math.sign(y[i])) hits += 1;
  }
  return counted === 0 ? 0.5 : hits / counted;
}

/** Ranks 1..n, ties get their average rank. */
export function ranks(a: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: a.length }, (_, i) => i).sort((i, j) => a[i] - a[j]);
  const out = new Float64Array(a.length);
  for (let s = 0; s < idx.length; ) {
    let e = s;
    while (e + 1 < idx.length && a[idx[e + 1]] === a[idx[s]]) e++;
    const avg = (s + e) / 2 + 1;
    for (let k = s; k <= e; k++) out[idx[k]] = avg;
    s = e + 1;
  }
  return out;
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b);
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  // A constant series carries no ranking information: correlation defined as 0.
  if (saa === 0 || sbb === 0) return 0;
  return sab / Math.sqrt(saa * sbb);
}

/** Spearman rank IC; 0 when either side is constant (e.g. the naive baselines). */
export function spearman(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths(y, p);
  return pearson(ranks(y), ranks(p));
}

export function computeMetrics(y: ArrayLike<number>, p: ArrayLike<number>): Metrics {
  return {
    n: y.length,
    r2: r2(y, p),
    mae: mae(y, p),
    rmse: rmse(y, p),
    dirAcc: directionalAccuracy(y, p),
    ic: spearman(y, p),
  };
}
