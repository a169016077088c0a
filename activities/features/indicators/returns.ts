// Log return over k bars, ln(close[i]) − ln(close[i−k]) = ln(close[i]/close[i−k]), defined from
// index k. Taken from ln(close), computed once for every k and for the volatility: one logarithm
// per bar instead of one per bar and period. It differs from Math.log(close[i]/close[i−k]) only by
// the rounding of the two logarithms (≤ 2 ulp of ln(price), 4e-15 at prices below e^16).
import { nanPrefix } from './nan-prefix';

export function logPrices(close: Float64Array, out: Float64Array): void {
  for (let i = 0; i < close.length; i++) out[i] = Math.log(close[i]);
}

export function logReturn(lnClose: Float64Array, k: number, out: Float64Array): void {
  nanPrefix(out, k);
  for (let i = k; i < lnClose.length; i++) out[i] = lnClose[i] - lnClose[i - k];
}
