import { Random } from '../../models/gbdt/random';

export interface Dataset {
  X: Float64Array;
  y: Float64Array;
  n: number;
  f: number;
}

/** n rows of f features uniform in [−1, 1), y = fn(row) + uniform noise of the given amplitude. */
export function synthetic(n: number, f: number, fn: (x: Float64Array) => number, seed = 1, noise = 0): Dataset {
  const rng = new Random(seed);
  const X = new Float64Array(n * f);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = X.subarray(i * f, (i + 1) * f);
    for (let j = 0; j < f; j++) row[j] = rng.next() * 2 - 1;
    y[i] = fn(row) + noise * (rng.next() * 2 - 1);
  }
  return { X, y, n, f };
}

export function rmseOf(pred: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i] - y[i]) ** 2;
  return Math.sqrt(s / y.length);
}

export function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
