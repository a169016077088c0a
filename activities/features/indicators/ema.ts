// Exponential moving averages seeded with the simple mean of the first `period` values, in
// technicalindicators' exact arithmetic ((x − prev)·k + prev) so the oracle test can compare at
// 1e-9. `from` is the first index of `values` to use; out[i] stays NaN until the seed.
export function emaInto(values: ArrayLike<number>, period: number, k: number, out: Float64Array, from = 0): void {
  const n = values.length;
  const seedAt = from + period - 1;
  if (seedAt >= n) return;
  let sum = 0;
  for (let i = from; i <= seedAt; i++) sum += values[i];
  let prev = sum / period;
  out[seedAt] = prev;
  for (let i = seedAt + 1; i < n; i++) {
    prev = (values[i] - prev) * k + prev;
    out[i] = prev;
  }
}

/** EMA with k = 2/(period+1). */
export function ema(values: ArrayLike<number>, period: number, out: Float64Array, from = 0): void {
  emaInto(values, period, 2 / (period + 1), out, from);
}

/** Wilder's smoothing (k = 1/period), as used by RSI and ATR. */
export function wilder(values: ArrayLike<number>, period: number, out: Float64Array, from = 0): void {
  emaInto(values, period, 1 / period, out, from);
}
