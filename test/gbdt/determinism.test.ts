import { describe, expect, it } from 'vitest';
import { GbdtModel, trainGbdt } from '../../models/gbdt';
import { Random } from '../../models/gbdt/random';
import { synthetic } from './synthetic';

const data = synthetic(1500, 5, (x) => x[0] - 2 * x[1] * x[2] + Math.cos(4 * x[3]), 5, 0.2);
const params = { n_estimators: 15, max_depth: 4, subsample: 0.7, colsample_bytree: 0.6 };

describe('determinism and serialization', () => {
  it('gives identical models for the same seed', () => {
    const a = trainGbdt(data.X, data.y, data.f, { ...params, seed: 42 });
    const b = trainGbdt(data.X, data.y, data.f, { ...params, seed: 42 });
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    expect(a.toXGBoostJSONString()).toBe(b.toXGBoostJSONString());
  });

  it('gives different models for different seeds when sampling', () => {
    const a = trainGbdt(data.X, data.y, data.f, { ...params, seed: 1 });
    const b = trainGbdt(data.X, data.y, data.f, { ...params, seed: 2 });
    expect(JSON.stringify(a.toJSON().trees)).not.toBe(JSON.stringify(b.toJSON().trees));
    // Without sampling the seed does not matter.
    const c = trainGbdt(data.X, data.y, data.f, { n_estimators: 5, max_depth: 3, seed: 1 });
    const d = trainGbdt(data.X, data.y, data.f, { n_estimators: 5, max_depth: 3, seed: 2 });
    expect(JSON.stringify(c.toJSON().trees)).toBe(JSON.stringify(d.toJSON().trees));
  });

  it('seeded PRNG is uniform enough and reproducible', () => {
    const r = new Random(7);
    const xs = Array.from({ length: 10000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(new Random(7).next()).toBe(xs[0]);
    expect(new Random(7).sample(10, 4)).toEqual(new Random(7).sample(10, 4));
  });

  it('round-trips through toJSON/fromJSON with identical predictions', () => {
    const model = trainGbdt(data.X, data.y, data.f, { ...params, seed: 3 });
    const text = JSON.stringify(model.toJSON());
    const back = GbdtModel.fromJSON(text);
    expect(Array.from(back.predict(data.X))).toEqual(Array.from(model.predict(data.X)));
    expect(back.featureImportance('gain')).toEqual(model.featureImportance('gain'));
    expect(JSON.stringify(back.toJSON())).toBe(text);
    expect(() => GbdtModel.fromJSON({ ...model.toJSON(), format: 'x' as 'trainflow-gbdt' })).toThrow();
  });

  it('reports feature importance like xgboost get_score', () => {
    const model = trainGbdt(data.X, data.y, data.f, { n_estimators: 10, max_depth: 3 });
    const weight = model.featureImportance('weight');
    const total = model.featureImportance('total_gain');
    const gain = model.featureImportance('gain');
    const splits = model.trees.reduce((s, t) => s + (t.left.length - 1) / 2, 0);
    expect(weight.reduce((a, b) => a + b, 0)).toBe(splits);
    gain.forEach((g, f) => expect(g).toBeCloseTo(weight[f] ? total[f] / weight[f] : 0, 9));
    // Feature 4 is pure noise.
    expect(total[4]).toBeLessThan(0.05 * Math.max(...total));
  });
});
