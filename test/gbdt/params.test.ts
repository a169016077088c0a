import { describe, expect, it } from 'vitest';
import { trainGbdt, treeDepth } from '../../models/gbdt';
import { leafIndices } from '../../models/gbdt/tree';
import { rmseOf, synthetic } from './synthetic';

const fn = (x: Float64Array) => Math.sin(3 * x[0]) + x[1] * x[2] + 0.3 * x[3];
const data = synthetic(2000, 6, fn, 11, 0.3);

function leafValues(model: ReturnType<typeof trainGbdt>): number[] {
  return model.trees.flatMap((t) => leafIndices(t).map((i) => t.value[i]));
}

describe('each parameter has its effect', () => {
  it('max_depth limits tree depth', () => {
    for (const depth of [0, 1, 3, 5]) {
      const model = trainGbdt(data.X, data.y, data.f, { n_estimators: 5, max_depth: depth });
      const depths = model.trees.map(treeDepth);
      expect(Math.max(...depths)).toBe(depth);
    }
  });

  it('min_child_weight blocks leaves with a small hessian sum (row count here)', () => {
    const loose = trainGbdt(data.X, data.y, data.f, { n_estimators: 5, max_depth: 8, min_child_weight: 1 });
    const strict = trainGbdt(data.X, data.y, data.f, { n_estimators: 5, max_depth: 8, min_child_weight: 100 });
    const minLeaf = (m: typeof loose) => Math.min(...m.trees.flatMap((t) => leafIndices(t).map((i) => t.sumHessian[i])));
    expect(minLeaf(loose)).toBeLessThan(100);
    expect(minLeaf(strict)).toBeGreaterThanOrEqual(100);
  });

  it('gamma prunes splits whose loss change is below it', () => {
    const free = trainGbdt(data.X, data.y, data.f, { n_estimators: 3, max_depth: 6 });
    const gamma = 20;
    const pruned = trainGbdt(data.X, data.y, data.f, { n_estimators: 3, max_depth: 6, gamma });
    const splits = (m: typeof free) => m.trees.reduce((s, t) => s + (t.left.length - 1) / 2, 0);
    expect(splits(pruned)).toBeLessThan(splits(free));
    for (const t of pruned.trees) for (let i = 0; i < t.left.length; i++) if (t.left[i] !== -1) expect(t.lossChange[i]).toBeGreaterThanOrEqual(gamma);
    // Alias.
    expect(JSON.stringify(trainGbdt(data.X, data.y, data.f, { n_estimators: 3, max_depth: 6, min_split_loss: gamma }).trees)).toBe(JSON.stringify(pruned.trees));
  });

  it('lambda shrinks leaf values', () => {
    const meanAbs = (v: number[]) => v.reduce((s, x) => s + Math.abs(x), 0) / v.length;
    const small = trainGbdt(data.X, data.y, data.f, { n_estimators: 1, max_depth: 6, lambda: 0 });
    const large = trainGbdt(data.X, data.y, data.f, { n_estimators: 1, max_depth: 6, lambda: 1000 });
    expect(meanAbs(leafValues(large))).toBeLessThan(0.5 * meanAbs(leafValues(small)));
    expect(JSON.stringify(trainGbdt(data.X, data.y, data.f, { n_estimators: 1, max_depth: 6, reg_lambda: 1000 }).trees)).toBe(JSON.stringify(large.trees));
  });

  it('lambda: a root-only tree has value eta·ΣG/(n+λ) toward the residual mean', () => {
    const d = synthetic(100, 1, () => 0);
    const y = Float64Array.from({ length: 100 }, (_, i) => (i < 50 ? 1 : 3));
    const model = trainGbdt(d.X, y, 1, { n_estimators: 1, max_depth: 0, base_score: 0, lambda: 100, eta: 0.5 });
    expect(model.trees[0].value[0]).toBeCloseTo((0.5 * 200) / (100 + 100), 6);
  });

  it('alpha zeroes leaves whose |G| is below it (soft thresholding)', () => {
    const zeros = (m: ReturnType<typeof trainGbdt>) => leafValues(m).filter((v) => v === 0).length;
    const plain = trainGbdt(data.X, data.y, data.f, { n_estimators: 3, max_depth: 6 });
    const l1 = trainGbdt(data.X, data.y, data.f, { n_estimators: 3, max_depth: 6, alpha: 5 });
    expect(zeros(plain)).toBe(0);
    expect(zeros(l1)).toBeGreaterThan(0);
    const d = synthetic(100, 1, () => 0);
    const y = new Float64Array(100).fill(2);
    const stump = trainGbdt(d.X, y, 1, { n_estimators: 1, max_depth: 0, base_score: 0, lambda: 0, eta: 1, reg_alpha: 50 });
    expect(stump.trees[0].value[0]).toBeCloseTo((200 - 50) / 100, 6);
  });

  it('colsample_bytree uses at most ⌊k·f⌋ features per tree', () => {
    const model = trainGbdt(data.X, data.y, data.f, { n_estimators: 20, max_depth: 4, colsample_bytree: 0.34, seed: 3 });
    const perTree = model.trees.map((t) => new Set(Array.from(t.feature).filter((_, i) => t.left[i] !== -1)).size);
    expect(Math.max(...perTree)).toBeLessThanOrEqual(2);
    const used = new Set(model.trees.flatMap((t) => Array.from(t.feature).filter((_, i) => t.left[i] !== -1)));
    expect(used.size).toBeGreaterThan(2);
  });

  it('subsample fits each tree on a fraction of the rows', () => {
    const model = trainGbdt(data.X, data.y, data.f, { n_estimators: 5, max_depth: 3, subsample: 0.5, seed: 1 });
    for (const t of model.trees) expect(t.sumHessian[0]).toBeGreaterThan(850);
    for (const t of model.trees) expect(t.sumHessian[0]).toBeLessThan(1150);
  });

  it('eta scales the first tree', () => {
    const a = trainGbdt(data.X, data.y, data.f, { n_estimators: 1, max_depth: 3, eta: 1 });
    const b = trainGbdt(data.X, data.y, data.f, { n_estimators: 1, max_depth: 3, learning_rate: 0.1 });
    const va = leafValues(a);
    const vb = leafValues(b);
    for (let i = 0; i < va.length; i++) expect(vb[i]).toBeCloseTo(va[i] * 0.1, 6);
  });

  it('early stopping stops, keeps best_iteration and predicts with the trees up to it', () => {
    const train = synthetic(600, 6, fn, 21, 1.0);
    const valid = synthetic(600, 6, fn, 22, 1.0);
    const model = trainGbdt(train.X, train.y, train.f, { n_estimators: 500, max_depth: 6, eta: 0.3, early_stopping_rounds: 10 }, valid);
    const hist = model.evalHistory.valid!;
    expect(model.trees.length).toBeLessThan(500);
    expect(model.trees.length).toBe(model.bestIteration + 11);
    expect(hist.length).toBe(model.trees.length);
    expect(Math.min(...hist)).toBe(hist[model.bestIteration]);
    expect(model.bestScore).toBe(hist[model.bestIteration]);
    // predict uses trees 0..bestIteration; its RMSE is the recorded best (up to float32 summation).
    expect(rmseOf(model.predict(valid.X), valid.y)).toBeCloseTo(model.bestScore!, 5);
    expect(rmseOf(model.predict(valid.X, { nTrees: model.trees.length }), valid.y)).toBeGreaterThan(model.bestScore!);
  });

  it('without early stopping, a validation set is only evaluated', () => {
    const valid = synthetic(300, 6, fn, 23, 0.3);
    const model = trainGbdt(data.X, data.y, data.f, { n_estimators: 20, max_depth: 3 }, valid);
    expect(model.trees.length).toBe(20);
    expect(model.bestIteration).toBe(19);
    expect(model.evalHistory.valid).toHaveLength(20);
  });
});
