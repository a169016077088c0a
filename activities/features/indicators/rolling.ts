// Rolling statistics over the last p values (the current one included), population SD (÷p).

/** Volatility: SD of the last p one-bar log returns; defined from index p. */
export function logReturnVolatility(close: Float64Array, period: number, out: Float64Array, scratch = new Float64Array(close.length)): void {
  const n = close.length;
  if (n <= period) return;
  const r = scratch.subarray(0, n);
  r[0] = 0;
  for (let i = 1; i < n; i++) r[i] = Math.log(close[i] / close[i - 1]);
  for (let i = period; i < n; i++) out[i] = windowSd(r, i, period);
}

/** (v − mean)/SD over the last p values; 0 when the window is flat (SD 0, e.g. no trades). */
export function zScore(values: Float64Array, period: number, out: Float64Array): void {
  for (let i = period - 1; i < values.length; i++) {
    const mean = windowMean(values, i, period);
    const sd = windowSd(values, i, period, mean);
    out[i] = sd === 0 ? 0 : (values[i] - mean) / sd;
  }
}

function windowMean(v: Float64Array, end: number, p: number): number {
  let sum = 0;
  for (let j = end - p + 1; j <= end; j++) sum += v[j];
  return sum / p;
}

function windowSd(v: Float64Array, end: number, p: number, mean = windowMean(v, end, p)): number {
  let sq = 0;
  for (let j = end - p + 1; j <= end; j++) sq += (v[j] - mean) ** 2;
  return Math.sqrt(sq / p);
}
