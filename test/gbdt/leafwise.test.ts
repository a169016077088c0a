/**
 * Leaf-wise growth (grow_policy: lossguide, max_leaves) and max_leaves under depthwise. The oracle
 * is python xgboost's own hist training: on features with at most 256 distinct values both sides
 * bin alike (one bin per value), so the same parameters must give the same trees, hence the same
 * predictions up to float32 rounding. Python xgboost missing is a failure, not a skip.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { trainGbdt, treeDepth, type GbdtParams } from '../../models/gbdt';
import { leafIndices } from '../../models/gbdt/tree';
import { trainXGBoostHist } from '../../scripts/xgb/xgboost-python';
import { maxAbsDiff, synthetic, type Dataset } from './synthetic';

const fn = (x: Float64Array) => Math.sin(3 * x[0]) + x[1] * x[1] + 0.5 * x[3] + (x[2] > 0.3 ? x[1] : 0);

/** Features on a 0.05 grid: 41 distinct values each, so binning is exact on both sides. */
function gridded(d: Dataset): Dataset {
  for (let i = 0; i < d.X.length; i++) d.X[i] = Math.round(d.X[i] * 20) / 20;
  return d;
}

const train = gridded(synthetic(4000, 5, fn, 51, 0.3));
const test = gridded(synthetic(2000, 5, fn, 52, 0));
const leaves = (m: ReturnType<typeof trainGbdt>) => m.trees.map((t) => leafIndices(t).length);

describe('leaf-wise trees (lossguide)', () => {
  const cases: Record<string, GbdtParams> = {
    'lossguide, 15 leaves, no depth limit': { grow_policy: 'lossguide', max_leaves: 15, max_depth: 0, min_child_weight: 5 },
    'lossguide, 7 leaves, depth ≤ 4': { grow_policy: 'lossguide', max_leaves: 7, max_depth: 4, min_child_weight: 5 },
    'depthwise with max_leaves 6': { grow_policy: 'depthwise', max_leaves: 6, max_depth: 4, min_child_weight: 5 },
  };
  const python: Record<string, Float64Array> = {};

  beforeAll(() => {
    for (const [name, p] of Object.entries(cases)) {
      python[name] = trainXGBoostHist(train, test.X, train.f, 40, { ...(p as Record<string, number | string>), eta: 0.1, lambda: 1 }).testPred;
    }
  });

  for (const name of Object.keys(cases)) {
    it(`trains what python xgboost trains: ${name}`, () => {
      const ours = trainGbdt(train.X, train.y, train.f, { ...cases[name], eta: 0.1, lambda: 1, n_estimators: 40 });
      expect(maxAbsDiff(ours.predict(test.X), python[name])).toBeLessThan(1e-5);
      const limit = cases[name].max_leaves!;
      expect(Math.max(...leaves(ours))).toBe(limit);
    });
  }

  it('keeps max_leaves and max_depth on real-valued data', () => {
    const d = synthetic(3000, 6, fn, 3, 0.2);
    const m = trainGbdt(d.X, d.y, d.f, { grow_policy: 'lossguide', num_leaves: 15, max_depth: 0, n_estimators: 10 });
    expect(Math.max(...leaves(m))).toBe(15);
    // Best-first growth goes deeper than a balanced tree of 15 leaves would.
    expect(Math.max(...m.trees.map(treeDepth))).toBeGreaterThan(4);
    const capped = trainGbdt(d.X, d.y, d.f, { grow_policy: 'lossguide', max_leaves: 15, max_depth: 3, n_estimators: 10 });
    expect(Math.max(...capped.trees.map(treeDepth))).toBe(3);
  });

  it('with num_leaves above 2^max_depth (the desk: 15 leaves, depth 3) it predicts as depthwise depth 3', () => {
    // Every split a depth-3 tree can make is made either way; only the node numbering differs.
    const d = synthetic(3000, 6, fn, 4, 0.2);
    const shared = { max_depth: 3, min_child_weight: 5, eta: 0.05, n_estimators: 20, subsample: 0.8, colsample_bytree: 0.8, seed: 2 };
    const leafwise = trainGbdt(d.X, d.y, d.f, { ...shared, grow_policy: 'lossguide', num_leaves: 15 });
    const depthwise = trainGbdt(d.X, d.y, d.f, shared);
    expect(maxAbsDiff(leafwise.predict(test.X.subarray(0, 500 * 6)), depthwise.predict(test.X.subarray(0, 500 * 6)))).toBe(0);
    expect(JSON.stringify(leafwise.trees.map((t) => Array.from(t.feature)))).not.toBe(JSON.stringify(depthwise.trees.map((t) => Array.from(t.feature))));
  });

  it('takes LightGBM names as exact aliases under squared error', () => {
    const a = trainGbdt(train.X, train.y, train.f, { grow_policy: 'lossguide', num_leaves: 9, min_data_in_leaf: 20, max_depth: 0, n_estimators: 5 });
    const b = trainGbdt(train.X, train.y, train.f, { grow_policy: 'lossguide', max_leaves: 9, min_child_weight: 20, max_depth: 0, n_estimators: 5 });
    expect(JSON.stringify(a.trees)).toBe(JSON.stringify(b.trees));
  });

  it('rejects bad growth parameters with a clear message', () => {
    const fit = (p: GbdtParams) => () => trainGbdt(train.X, train.y, train.f, { n_estimators: 1, ...p });
    expect(fit({ grow_policy: 'leafwise' as never })).toThrow(/grow_policy must be 'depthwise' or 'lossguide', got 'leafwise'/);
    expect(fit({ grow_policy: 'lossguide', max_depth: 0 })).toThrow(/needs max_leaves > 0/);
    expect(fit({ max_leaves: 4, num_leaves: 8 })).toThrow(/conflicting values for aliases max_leaves \/ num_leaves/);
    expect(fit({ max_leaves: 2.5 })).toThrow(/max_leaves must be an integer/);
  });
});
