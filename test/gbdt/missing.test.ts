import { describe, expect, it } from 'vitest';
import { trainGbdt } from '../../models/gbdt';
import { Random } from '../../models/gbdt/random';

/** Feature 0 is missing for 30% of rows; those rows have y = 5, like the rows with x0 > 0.5. */
function withMissing(n: number, seed: number) {
  const rng = new Random(seed);
  const X = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const missing = rng.next() < 0.3;
    const x0 = rng.next() * 2 - 1;
    X[i * 2] = missing ? NaN : x0;
    X[i * 2 + 1] = rng.next();
    y[i] = missing || x0 > 0.5 ? 5 : -1;
  }
  return { X, y };
}

describe('missing values', () => {
  it('learns a default direction for NaN and predicts it', () => {
    const { X, y } = withMissing(2000, 1);
    const model = trainGbdt(X, y, 2, { n_estimators: 20, max_depth: 2, eta: 0.5 });
    const root = model.trees[0];
    expect(root.feature[0]).toBe(0);
    expect(root.defaultLeft[0]).toBe(0); // NaN rows join x0 > 0.5, the right side
    const test = Float64Array.from([NaN, 0.3, 0.9, 0.3, -0.9, 0.3]);
    const pred = model.predict(test);
    expect(pred[0]).toBeCloseTo(5, 1);
    expect(pred[1]).toBeCloseTo(5, 1);
    expect(pred[2]).toBeCloseTo(-1, 1);
  });

  it('sends NaN left when that is better (mirror image)', () => {
    const { X, y } = withMissing(2000, 2);
    const flipped = X.map((v, i) => (i % 2 === 0 ? -v : v));
    const model = trainGbdt(flipped, y, 2, { n_estimators: 20, max_depth: 2, eta: 0.5 });
    expect(model.trees[0].defaultLeft[0]).toBe(1);
    const pred = model.predict(Float64Array.from([NaN, 0.3, -0.9, 0.3, 0.9, 0.3]));
    expect(pred[0]).toBeCloseTo(5, 1);
    expect(pred[1]).toBeCloseTo(5, 1);
    expect(pred[2]).toBeCloseTo(-1, 1);
  });

  it('handles NaN at predict time in a feature that had none in training, and an all-NaN feature', () => {
    const n = 500;
    const X = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      X[i * 2] = i / n;
      X[i * 2 + 1] = NaN;
      y[i] = i < n / 2 ? 0 : 1;
    }
    const model = trainGbdt(X, y, 2, { n_estimators: 5, max_depth: 2 });
    const pred = model.predict(Float64Array.from([NaN, NaN, 0.9, 0]));
    expect(Number.isFinite(pred[0])).toBe(true);
    expect(pred[1]).toBeGreaterThan(0.5);
    expect(model.featureImportance('weight')[1]).toBe(0);
  });
});
