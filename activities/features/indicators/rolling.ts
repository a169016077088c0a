// Rolling statistics over the last p values (the current one included), population SD (÷p).
// Windows are summed relative to their first value, so a flat window has an SD of exactly 0.

/** Volatility: SD of the last p one-bar log returns; defined from index p. */
export function logReturnVolatility(close: Float64Array, period: number, out: Float64Array, scratch = new Float64Array(close.length)): void {
  const n = close.length;
  if (n <= period) return;
  const r = scratch.subarray(0, n);
  r[0] = 0;
  for (let i = 1; i < n; i++) r[i] = Math.log(close[i] / close[i - 1]);
  for (let i = period; i < n; i++) {
    const base = r[i - period + 1];
    out[i] = windowSdFrom(r, i, period, base, windowMeanFrom(r, i, period, base));
  }
}

/** (v − mean)/SD over the last p values; 0 when the window is flat (SD 0, e.g. no trades). */
export function zScore(values: Float64Array, period: number, out: Float64Array): void {
  for (let i = period - 1; i < values.length; i++) {
    const base = values[i - period + 1];
    const dev = windowMeanFrom(values, i, period, base);
    const sd = windowSdFrom(values, i, period, base, dev);
    out[i] = sd === 0 ? 0 : (values[i] - base - dev) / sd;
  }
}

/** Mean of (v − base) over the window ending at `end`. */
function windowMeanFrom(v: Float64Array, end: number, p: number, base: number): number {
  let sum = 0;
  for (let j = end - p + 1; j <= end; j++) sum += v[j] - base;
  return sum / p;
}

function windowSdFrom(v: Float64Array, end: number, p: number, base: number, dev: number): number {
  let sq = 0;
  for (let j = end - p + 1; j <= end; j++) sq += (v[j] - base - dev) ** 2;
  return Math.sqrt(sq / p);
}
