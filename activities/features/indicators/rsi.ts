// RSI(p) with Wilder smoothing, defined from index p. Unlike technicalindicators we do not round
// to 2 decimals. A window with neither gains nor losses (flat price) is RSI 50 (neutral), where
// technicalindicators says 100; only losses → 0, only gains → 100, as there.
import { nanPrefix } from './nan-prefix';

export function rsi(close: Float64Array, period: number, out: Float64Array): void {
  const n = close.length;
  nanPrefix(out, period);
  if (n <= period) return;
  let gainSum = 0;
  let lossSum = 0;
  for (let i = 1; i <= period; i++) {
    const d = close[i] - close[i - 1];
    if (d > 0) gainSum += d;
    else if (d < 0) lossSum -= d;
  }
  let avgGain = gainSum / period;
  let avgLoss = lossSum / period;
  out[period] = rsiOf(avgGain, avgLoss);
  for (let i = period + 1; i < n; i++) {
    const d = close[i] - close[i - 1];
    // Math.max instead of a branch on the sign of d: the same values, without mispredictions.
    avgGain = (avgGain * (period - 1) + Math.max(d, 0)) / period;
    avgLoss = (avgLoss * (period - 1) + Math.max(-d, 0)) / period;
    out[i] = rsiOf(avgGain, avgLoss);
  }
}

function rsiOf(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
  if (avgGain === 0) return 0;
  return 100 - 100 / (1 + avgGain / avgLoss);
}
