// Bollinger(p, k) on closes, population standard deviation (÷p, as technicalindicators),
// defined from index p−1. %B = (close − lower)/(upper − lower); on a flat window upper == lower
// and %B would be 0/0, so we define it as 0.5 (the close sits on the middle band).
// Bandwidth = (upper − lower)/middle. Sums are recomputed per window (not a running sum) so that
// rounding does not drift over 500k bars.
export function bollinger(close: Float64Array, period: number, stdDev: number, out: { pctB: Float64Array; width: Float64Array }): void {
  const n = close.length;
  for (let i = period - 1; i < n; i++) {
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += close[j];
    const mean = sum / period;
    let sq = 0;
    for (let j = i - period + 1; j <= i; j++) sq += (close[j] - mean) ** 2;
    const sd = Math.sqrt(sq / period);
    const upper = mean + sd * stdDev;
    const lower = mean - sd * stdDev;
    const range = upper - lower;
    out.pctB[i] = range === 0 ? 0.5 : (close[i] - lower) / range;
    out.width[i] = range / mean;
  }
}
