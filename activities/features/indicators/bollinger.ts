// Bollinger(p, k) on closes, population standard deviation (÷p, as technicalindicators),
// defined from index p−1. %B = (close − lower)/(upper − lower); on a flat window upper == lower
// and %B would be 0/0, so we define it as 0.5 (the close sits on the middle band).
// Bandwidth = (upper − lower)/middle. Each window is summed afresh, relative to its first close:
// no drift over 500k bars, and a flat window gives a standard deviation of exactly 0 (a plain
// sum of 20 equal prices, divided by 20, need not give the price back).
export function bollinger(close: Float64Array, period: number, stdDev: number, out: { pctB: Float64Array; width: Float64Array }): void {
  const n = close.length;
  for (let i = period - 1; i < n; i++) {
    const base = close[i - period + 1];
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += close[j] - base;
    const dev = sum / period;
    let sq = 0;
    for (let j = i - period + 1; j <= i; j++) sq += (close[j] - base - dev) ** 2;
    const sd = Math.sqrt(sq / period);
    const mean = base + dev;
    const upper = mean + sd * stdDev;
    const lower = mean - sd * stdDev;
    const range = upper - lower;
    out.pctB[i] = sd === 0 ? 0.5 : (close[i] - lower) / range;
    out.width[i] = range / mean;
  }
}
