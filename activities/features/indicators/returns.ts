// Log return over k bars, ln(close[i]) − ln(close[i−k]) = ln(close[i]/close[i−k]), defined from
// index k. Taken from ln(close), computed once for every k and for the volatility: one logarithm
// per bar instead of one per bar and period, by lnInto (≤ 0.5 ulp + 2^-60, see ln.ts). It differs
// from Math.log(close[i]/close[i−k]) only by the rounding of the two logarithms and of the
// quotient (≤ 1 ulp of ln(price) + 2^-59 + 2^-53·|return|: below 4e-15 at prices below e^16).
import { lnInto } from './ln';
import { nanPrefix } from './nan-prefix';

export function logPrices(close: Float64Array, out: Float64Array): void {
  lnInto(close, out);
}

/**
 * Log returns over several lags at once (out[j] for periods[j]): groups of four in one loop, which
 * reads ln(close[i]) once for the four and runs ~15% faster than four loops. A group of fewer is
 * padded by repeating its last lag (the same value written twice).
 */
export function logReturns(lnClose: Float64Array, periods: readonly number[], out: readonly Float64Array[]): void {
  const n = lnClose.length;
  for (let g = 0; g < periods.length; g += 4) {
    const last = Math.min(g + 4, periods.length) - 1;
    const at = (j: number) => Math.min(g + j, last);
    const k = [periods[at(0)], periods[at(1)], periods[at(2)], periods[at(3)]];
    const o = [out[at(0)], out[at(1)], out[at(2)], out[at(3)]];
    const kMax = Math.max(...k);
    for (let j = 0; j < 4; j++) {
      nanPrefix(o[j], k[j]);
      // Up to the longest lag, each on its own.
      const to = Math.min(kMax, n);
      for (let i = k[j]; i < to; i++) o[j][i] = lnClose[i] - lnClose[i - k[j]];
    }
    returns4(lnClose, kMax, k[0], k[1], k[2], k[3], o[0], o[1], o[2], o[3]);
  }
}

function returns4(ln: Float64Array, from: number, k0: number, k1: number, k2: number, k3: number, o0: Float64Array, o1: Float64Array, o2: Float64Array, o3: Float64Array): void {
  const n = ln.length;
  for (let i = from; i < n; i++) {
    const x = ln[i];
    o0[i] = x - ln[i - k0];
    o1[i] = x - ln[i - k1];
    o2[i] = x - ln[i - k2];
    o3[i] = x - ln[i - k3];
  }
}

