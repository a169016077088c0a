// logReturns (lags in groups of four, one loop per group) equals the plain definition, one lag at a time.
import { describe, expect, it } from 'vitest';
import { logPrices, logReturns } from '../../activities/features/indicators/returns';
import { klinesBetween } from './real-klines';

/** The definition: NaN for the first k bars, then ln(close[i]) − ln(close[i−k]). */
function logReturn(lnClose: Float64Array, k: number, out: Float64Array): void {
  for (let i = 0; i < lnClose.length; i++) out[i] = i < k ? NaN : lnClose[i] - lnClose[i - k];
}

describe('logReturns', () => {
  const close = Float64Array.from(klinesBetween('BTCUSDT', '2023-04-01T00:00:00Z', '2023-04-01T02:00:00Z').map((k) => k.close));
  const ln = new Float64Array(close.length);
  logPrices(close, ln);

  it.each([[[1]], [[1, 5, 15, 60]], [[3, 1, 2]], [[1, 5, 15, 60, 7, 200]], [[60, 60, 1, 119, 120]]])('periods %j: the same columns as one lag at a time, NaN warm-ups included', (periods) => {
    expect(close.length).toBe(120);
    const fused = periods.map(() => new Float64Array(close.length).fill(123));
    logReturns(ln, periods, fused);
    periods.forEach((k, j) => {
      const one = new Float64Array(close.length);
      logReturn(ln, k, one);
      expect([...fused[j]], `lag ${k}`).toEqual([...one]);
    });
  });
});
