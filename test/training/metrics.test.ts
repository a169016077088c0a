import { describe, expect, it } from 'vitest';
import { computeMetrics, directionalAccuracy, mae, r2, ranks, rmse, spearman } from '../../models/evaluation/metrics';
import { meanStd } from '../../models/evaluation/summary';
import { signStrategy } from '../../models/evaluation/backtest';

describe('metrics vs hand computations', () => {
  const y = [1, 2, 3, 4];
  const p = [1.5, 1.5, 3.5, 3.5];

  it('R², MAE, RMSE', () => {
    // mean y = 2.5, SST = 2.25+0.25+0.25+2.25 = 5, SSE = 4 × 0.25 = 1 → R² = 0.8
    expect(r2(y, p)).toBeCloseTo(0.8, 12);
    expect(mae(y, p)).toBeCloseTo(0.5, 12);
    expect(rmse(y, p)).toBeCloseTo(0.5, 12);
    // predicting the mean gives 0, predicting worse than the mean goes negative
    expect(r2(y, [2.5, 2.5, 2.5, 2.5])).toBe(0);
    expect(r2(y, [4, 3, 2, 1])).toBeCloseTo(1 - 20 / 5, 12);
  });

  it('R² on a constant target is finite (sklearn force_finite)', () => {
    expect(r2([0, 0, 0], [0, 0, 0])).toBe(1);
    expect(r2([0, 0, 0], [1, 0, 0])).toBe(0);
  });

  it('directional accuracy skips zero targets and counts a zero forecast as ½', () => {
    // targets: +, -, 0 (skipped), +, -; forecasts: +, +, x, 0, -  → hits 1 + 0 + ½ + 1 over 4
    expect(directionalAccuracy([0.1, -0.2, 0, 0.3, -0.1], [1, 1, 5, 0, -2])).toBeCloseTo(2.5 / 4, 12);
    expect(directionalAccuracy([0, 0], [1, -1])).toBe(0.5);
  });

  it('ranks average ties, Spearman matches the textbook formula', () => {
    expect(Array.from(ranks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    // no ties: ρ = 1 − 6Σd²/(n(n²−1)); ranks y = 1..5, p ranks = 2,1,4,3,5 → Σd² = 4 → 1 − 24/120 = 0.8
    expect(spearman([1, 2, 3, 4, 5], [0.2, 0.1, 0.4, 0.3, 0.5])).toBeCloseTo(0.8, 12);
    expect(spearman([1, 2, 3], [7, 7, 7])).toBe(0); // constant forecast: no ranking information
  });

  it('computeMetrics bundles them and mean ± std uses the sample std', () => {
    const m = computeMetrics(y, p);
    expect(m).toMatchObject({ n: 4, r2: expect.closeTo(0.8, 12), mae: expect.closeTo(0.5, 12) });
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 });
    expect(meanStd([5])).toEqual({ mean: 5, std: 0 });
  });

  it('throws on empty input instead of returning NaN', () => {
    expect(() => r2([], [])).toThrow(/empty/);
  });

  it('sign strategy: non-overlapping decisions, fees per side, returns compounded', () => {
    // horizon 2 ms → rows at t=0,2 are taken, t=1,3 skipped
    const eq = signStrategy({
      time: [0, 1, 2, 3],
      symbol: ['A', 'A', 'A', 'A'],
      y: [0.01, 0.5, -0.02, 0.5],
      pred: [1, 1, -1, 1],
      horizonMs: 2,
      feePerSide: 0.001,
    });
    // long: ×(1 − 0.001)(1 + 0.01) (enter); flip to short: ×(1 − 0.002)(1 + 0.02) (two sides)
    expect(eq.totalStrategy).toBeCloseTo(0.999 * 1.01 * 0.998 * 1.02 - 1, 12);
    expect(eq.trades).toBe(2);
    expect(eq.totalBuyHold).toBeCloseTo(0.999 * 1.01 * 0.98 - 1, 12);
    expect(eq.strategy).toEqual([expect.closeTo(0.999 * 1.01 - 1, 12), expect.closeTo(eq.totalStrategy, 12)]);
    expect(eq.feesPaid).toBeCloseTo(0.001 + 0.999 * 1.01 * 0.002, 12);
  });

  it('sign strategy: losses compound towards −100 %, never below', () => {
    // Twenty wrong calls of −10 % each: summed that is −200 %; compounded 0.9^20 − 1 ≈ −87.8 %.
    const k = 20;
    const eq = signStrategy({
      time: Array.from({ length: k }, (_, i) => i),
      symbol: Array(k).fill('A'),
      y: Array(k).fill(-0.1),
      pred: Array(k).fill(1),
      horizonMs: 1,
      feePerSide: 0,
    });
    expect(eq.totalStrategy).toBeCloseTo(0.9 ** 20 - 1, 12);
    expect(Math.min(...eq.strategy)).toBeGreaterThan(-1);
    // A short through a +150 % move loses the whole sleeve, not 150 % of it.
    const wiped = signStrategy({ time: [0, 1], symbol: ['A', 'A'], y: [1.5, 0.1], pred: [-1, -1], horizonMs: 1, feePerSide: 0 });
    expect(wiped.strategy).toEqual([-1, -1]);
  });

  it('sign strategy: equal sleeves per symbol, each compounded, with a per-symbol breakdown', () => {
    const eq = signStrategy({
      time: [0, 0, 1, 1],
      symbol: ['A', 'B', 'A', 'B'],
      y: [0.1, -0.1, 0.1, 0.2],
      pred: [1, 1, 1, -1],
      horizonMs: 1,
      feePerSide: 0,
    });
    expect(eq.bySymbol.A.total).toBeCloseTo(1.1 * 1.1 - 1, 12);
    expect(eq.bySymbol.B.total).toBeCloseTo(0.9 * 0.8 - 1, 12);
    expect(eq.totalStrategy).toBeCloseTo((1.21 + 0.72) / 2 - 1, 12);
    expect(eq.bySymbol.B).toMatchObject({ trades: 2, decisions: 2, buyHold: expect.closeTo(0.9 * 1.2 - 1, 12) });
  });
});
