/**
 * Our XGBoost JSON export, loaded by the real python xgboost (tools/venv), must predict what our
 * model predicts. Python xgboost missing is a failure, not a skip: setup installs it.
 * All exports are predicted in one python process (importing xgboost takes a second or more); a
 * missing xgboost fails beforeAll with the pip line to run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GbdtModel, trainGbdt, treeDepth } from '../../models/gbdt';
import { predictManyWithXGBoost, trainXGBoostHist } from '../../scripts/xgb/xgboost-python';
import { buildKlineDataset, splitChronological } from '../../bench/gbdt-dataset';
import { maxAbsDiff, rmseOf, synthetic } from './synthetic';

interface Case {
  model: GbdtModel;
  X: Float64Array;
  featureNames?: string[];
  python?: Float64Array;
}

function noisySyntheticCase(): Case {
  const d = synthetic(3000, 6, (x) => 3 + Math.sin(3 * x[0]) + x[1] * x[2] - (x[3] > 0.2 ? 1 : 0), 31, 0.3);
  for (let i = 0; i < d.n; i += 7) d.X[i * d.f + (i % d.f)] = NaN;
  const model = trainGbdt(d.X, d.y, d.f, {
    n_estimators: 40, max_depth: 5, eta: 0.2, subsample: 0.8, colsample_bytree: 0.7, alpha: 0.5, lambda: 2, seed: 9,
  });
  const test = synthetic(1000, 6, (x) => x[0], 32);
  for (let i = 0; i < test.n; i += 5) test.X[i * test.f + ((i + 1) % test.f)] = NaN;
  return { model, X: test.X, featureNames: ['a', 'b', 'c', 'd', 'e', 'f'] };
}

function klinesCase(): Case {
  const data = buildKlineDataset('BTCUSDT', 30_000);
  const { train, test } = splitChronological(data, 0.8);
  const model = trainGbdt(train.X, train.y, data.nFeatures, { n_estimators: 30, max_depth: 5, eta: 0.1 });
  return { model, X: test.X, featureNames: data.featureNames };
}

function leafwiseKlinesCase(): Case {
  const data = buildKlineDataset('ETHUSDT', 30_000);
  const { train, test } = splitChronological(data, 0.8);
  for (let i = 0; i < train.y.length; i += 11) train.X[i * data.nFeatures + (i % data.nFeatures)] = NaN;
  for (let i = 0; i < test.X.length; i += 13) test.X[i] = NaN;
  const model = trainGbdt(train.X, train.y, data.nFeatures, {
    grow_policy: 'lossguide', max_leaves: 15, max_depth: 0, min_child_weight: 5, n_estimators: 30, eta: 0.1, subsample: 0.8, colsample_bytree: 0.8, seed: 5,
  });
  return { model, X: test.X, featureNames: data.featureNames };
}

function earlyStoppedCase(): Case {
  const fn = (x: Float64Array) => x[0] + x[1] * x[1];
  const train = synthetic(500, 3, fn, 41, 1);
  const valid = synthetic(500, 3, fn, 42, 1);
  const model = trainGbdt(train.X, train.y, 3, { n_estimators: 300, max_depth: 6, early_stopping_rounds: 5 }, valid);
  return { model, X: valid.X };
}

function zeroLeavesCase(): Case {
  const d = synthetic(300, 2, (x) => (x[0] > 0 ? 1 : 0));
  // Huge alpha: every leaf is exactly 0, which must still be written as a float.
  const model = trainGbdt(d.X, d.y, 2, { n_estimators: 2, max_depth: 2, alpha: 1e6, base_score: 1 });
  return { model, X: d.X };
}

const cases: Record<string, Case> = {};

function expectSamePredictions(c: Case): void {
  const ours = c.model.predict(c.X);
  expect(c.python!.length).toBe(ours.length);
  expect(maxAbsDiff(ours, c.python!)).toBeLessThan(1e-5);
}

describe('XGBoost JSON export read by python xgboost', () => {
  beforeAll(() => {
    Object.assign(cases, { synthetic: noisySyntheticCase(), klines: klinesCase(), leafwise: leafwiseKlinesCase(), early: earlyStoppedCase(), zeros: zeroLeavesCase() });
    const list = Object.values(cases);
    const predictions = predictManyWithXGBoost(
      list.map((c) => ({ modelJson: c.model.toXGBoostJSONString(c.featureNames), X: c.X, nFeatures: c.model.nFeatures })),
    );
    list.forEach((c, i) => (c.python = predictions[i]));
  });

  it('predicts the same on noisy synthetic data with NaNs, sampling, L1/L2 and feature names', () => {
    expectSamePredictions(cases.synthetic);
  });

  it('predicts the same on features built from real BTCUSDT klines', () => {
    expectSamePredictions(cases.klines);
  });

  it('predicts the same for leaf-wise (lossguide) trees with NaNs and sampling', () => {
    const depths = cases.leafwise.model.trees.map(treeDepth);
    expect(Math.max(...depths)).toBeGreaterThan(4);
    expectSamePredictions(cases.leafwise);
  });

  it('exports an early-stopped model up to best_iteration, with xgboost attributes', () => {
    const { model } = cases.early;
    expect(model.trees.length).toBeGreaterThan(model.nTreesUsed);
    const json = model.toXGBoostJSON();
    expect(json.learner.gradient_booster.model.trees).toHaveLength(model.bestIteration + 1);
    expect(json.learner.attributes.best_iteration).toBe(String(model.bestIteration));
    expectSamePredictions(cases.early);
  });

  it('writes the typed fields xgboost expects', () => {
    const text = cases.zeros.model.toXGBoostJSONString();
    const floatArrays = [...text.matchAll(/"(split_conditions|base_weights|loss_changes|sum_hessian)":\[([^\]]*)\]/g)];
    expect(floatArrays.length).toBe(4 * 2);
    for (const [, , body] of floatArrays) for (const token of body.split(',')) expect(token).toMatch(/[.eE]/);
    expect(text).toContain('0.0');
    const json = JSON.parse(text);
    expect(json.learner.learner_model_param.base_score).toBe('1.0');
    expect(json.learner.objective.name).toBe('reg:squarederror');
    expect(json.learner.gradient_booster.model.trees[0].parents[0]).toBe(2147483647);
    expectSamePredictions(cases.zeros);
  });

  it('matches python xgboost hist training quality on the same data', () => {
    // No pure interaction: greedy growth finds x1·x2-like terms at chance-dependent rounds, in both.
    const fn = (x: Float64Array) => Math.sin(3 * x[0]) + x[1] * x[1] + 0.5 * x[3] + (x[2] > 0.3 ? x[1] : 0);
    const train = synthetic(4000, 5, fn, 51, 0.3);
    const test = synthetic(2000, 5, fn, 52, 0);
    const shared = { max_depth: 4, eta: 0.1, lambda: 1, max_bin: 256 };
    const ours = trainGbdt(train.X, train.y, train.f, { ...shared, n_estimators: 100 });
    const theirs = trainXGBoostHist(train, test.X, train.f, 100, shared);
    const a = rmseOf(ours.predict(test.X), test.y);
    const b = rmseOf(theirs.testPred, test.y);
    expect(Math.abs(a - b)).toBeLessThan(0.1 * b);
  });
});
