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
  const keep = period - 1;
  let prev = close[period];
  for (let i = period + 1; i < n; i++) {
    const c = close[i];
    const d = c - prev;
    prev = c;
    // Gain max(d, 0) = (d + |d|)/2 and loss max(−d, 0) = (|d| − d)/2, exactly (doubling and
    // halving are exact): no branch on the sign of d, which a CPU mispredicts half the time.
    const a = Math.abs(d);
    avgGain = (avgGain * keep + (d + a) * 0.5) / period;
    avgLoss = (avgLoss * keep + (a - d) * 0.5) / period;
    // Only gains: avgGain/0 = ∞ gives 100; only losses: 0/avgLoss gives 0; neither: 0/0 = NaN → 50.
    const v = 100 - 100 / (1 + avgGain / avgLoss);
    out[i] = v === v ? v : 50;
  }
}

function rsiOf(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
  if (avgGain === 0) return 0;
  return 100 - 100 / (1 + avgGain / avgLoss);
}
