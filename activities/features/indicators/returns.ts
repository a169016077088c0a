// Log return over k bars, ln(close[i] / close[i−k]), defined from index k.
export function logReturn(close: Float64Array, k: number, out: Float64Array): void {
  for (let i = k; i < close.length; i++) out[i] = Math.log(close[i] / close[i - k]);
}
