import { describe, expect, it } from 'vitest';
import { trainGbdt } from '../../models/gbdt';
import { rmseOf, synthetic } from './synthetic';

function expectMonotoneDecreasing(values: number[]): void {
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1] + 1e-12);
}

describe('trainGbdt fits known functions', () => {
  it('fits a step function almost exactly with one split per step', () => {
    // 200 rows < max_bin: every distinct value has its own bin, so the step is found exactly.
    const d = synthetic(200, 3, (x) => (x[1] < 0.25 ? -2 : 3));
    const model = trainGbdt(d.X, d.y, d.f, { n_estimators: 30, max_depth: 1, eta: 0.5, lambda: 0 });
    expect(rmseOf(model.predict(d.X), d.y)).toBeLessThan(1e-3);
    // Only feature 1 carries signal.
    const weight = model.featureImportance('weight');
    expect(weight[1]).toBe(weight.reduce((a, b) => a + b, 0));
    expectMonotoneDecreasing(model.evalHistory.train);
  });

  it('fits an additive function and generalizes to fresh data', () => {
    const fn = (x: Float64Array) => Math.sin(3 * x[0]) + x[1] * x[1] - 0.5 * x[2];
    const train = synthetic(4000, 4, fn, 1, 0.05);
    const test = synthetic(2000, 4, fn, 2, 0);
    const model = trainGbdt(train.X, train.y, train.f, { n_estimators: 150, max_depth: 3, eta: 0.2 });
    const baseline = rmseOf(new Float64Array(test.n).fill(model.baseScore), test.y);
    expect(rmseOf(model.predict(test.X), test.y)).toBeLessThan(0.1 * baseline);
    expectMonotoneDecreasing(model.evalHistory.train);
    expect(model.featureImportance('gain')[3]).toBeLessThan(model.featureImportance('gain')[0] * 0.05);
  });

  it('fits an interaction that no single feature explains', () => {
    const fn = (x: Float64Array) => 4 * x[0] * x[1];
    const train = synthetic(3000, 3, fn, 3);
    const test = synthetic(1000, 3, fn, 4);
    const model = trainGbdt(train.X, train.y, train.f, { n_estimators: 100, max_depth: 3, eta: 0.3 });
    const baseline = rmseOf(new Float64Array(test.n).fill(model.baseScore), test.y);
    expect(rmseOf(model.predict(test.X), test.y)).toBeLessThan(0.15 * baseline);
    expectMonotoneDecreasing(model.evalHistory.train);
  });

  it('uses the mean of y as base_score by default (xgboost ≥ 2 intercept), or the given one', () => {
    const d = synthetic(500, 2, (x) => 10 + x[0]);
    const mean = d.y.reduce((a, b) => a + b, 0) / d.n;
    expect(trainGbdt(d.X, d.y, d.f, { n_estimators: 1 }).baseScore).toBe(Math.fround(mean));
    expect(trainGbdt(d.X, d.y, d.f, { n_estimators: 1, base_score: 0.5 }).baseScore).toBe(0.5);
  });

  it('rejects bad input and bad parameters', () => {
    const d = synthetic(100, 2, (x) => x[0]);
    expect(() => trainGbdt(d.X, d.y, 3, {})).toThrow(/expected/);
    expect(() => trainGbdt(d.X, d.y, d.f, { eta: 0 })).toThrow(/eta/);
    expect(() => trainGbdt(d.X, d.y, d.f, { max_bin: 1000 })).toThrow(/max_bin/);
    expect(() => trainGbdt(d.X, d.y, d.f, { eta: 0.1, learning_rate: 0.2 })).toThrow(/conflicting/);
    expect(() => trainGbdt(d.X, d.y, d.f, { early_stopping_rounds: 5 })).toThrow(/validation/);
    const bad = d.y.slice();
    bad[3] = NaN;
    expect(() => trainGbdt(d.X, bad, d.f, {})).toThrow(/label 3/);
  });
});
