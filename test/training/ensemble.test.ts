import { describe, expect, it } from 'vitest';
import { blend, fitEnsembleWeights } from '../../models/ensemble';

describe('ensemble weights', () => {
  it('finds the MSE-optimal convex blend on the validation forecasts', () => {
    const y = Float64Array.from([1, 2, 3, 4]);
    const a = Float64Array.from([2, 3, 4, 5]); // +1 bias
    const b = Float64Array.from([0, 1, 2, 3]); // −1 bias → 50/50 is exact
    const w = fitEnsembleWeights(['a', 'b'], [a, b], y);
    expect(w.weights[0]).toBeCloseTo(0.5, 10);
    expect(w.weights[1]).toBeCloseTo(0.5, 10);
    expect(w.validMse).toBeCloseTo(0, 12);
    expect(Array.from(blend([a, b], w.weights))).toEqual([1, 2, 3, 4]);
  });

  it('weights are non-negative and sum to 1, even when one model is useless', () => {
    const y = Float64Array.from([1, -1, 2, -2]);
    const good = Float64Array.from([1, -1, 2, -2]);
    const bad = Float64Array.from([-5, 5, -5, 5]);
    const w = fitEnsembleWeights(['good', 'bad'], [good, bad], y);
    expect(w.weights).toEqual([1, 0]);
    const three = fitEnsembleWeights(['a', 'b', 'c'], [good, bad, good], y);
    expect(three.weights.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...three.weights)).toBeGreaterThanOrEqual(0);
  });
});
