// The desk's two tree models side by side (depth-wise gbdt, leaf-wise gbdt_leafwise) plus the net,
// blended into the ensemble: one training.train run on real BTCUSDT klines. Both trees are saved
// as XGBoost JSON that the real python xgboost loads and predicts identically.
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localContext } from '../../activities/context';
import { loadConfig } from '../../config';
import { train, type TrainOutput } from '../../activities/training/train';
import { GbdtModel, treeDepth } from '../../models/gbdt';
import { predictManyWithXGBoost } from '../../scripts/xgb/xgboost-python';
import { klineDataset } from './support/kline-dataset';

const dataDir = path.join(os.tmpdir(), `trainflow-tree-models-${process.pid}`);
const ds = klineDataset({ rows: 3000, horizon: 5 });
const deps = { config: { ...loadConfig(), dataDir }, loadDataset: async () => ds };
const input = {
  datasetFile: 'btc',
  name: 'two-trees',
  models: ['gbdt', 'gbdt_leafwise', 'mlp', 'ensemble'] as const,
  gbdt: { n_estimators: 60, max_depth: 3, eta: 0.05, subsample: 0.8, colsample_bytree: 0.8, min_child_weight: 5, early_stopping_rounds: 10, seed: 7 },
  // Leaf-wise with a leaf budget that binds (no depth limit), so the two tree models really differ.
  // (on 2 threads: the worker_threads build inside the fit thread)
  gbdt_leafwise: { n_estimators: 60, grow_policy: 'lossguide', num_leaves: 15, max_depth: 0, min_data_in_leaf: 20, eta: 0.05, early_stopping_rounds: 10, seed: 7, nthread: 2 },
  mlp: { hidden: [8], epochs: 3, batchSize: 256 },
  cv: { folds: 3, embargo: 5 },
};

describe('two tree models and the net in one run', () => {
  let out: TrainOutput;
  beforeAll(async () => {
    out = await train({ ...input, models: [...input.models] }, localContext({ quiet: true }), deps);
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('cross-validates each model and blends all three base models', async () => {
    const m = JSON.parse(await readFile(path.join(out.runDir, 'metrics.json'), 'utf8'));
    expect(Object.keys(m.models)).toEqual(expect.arrayContaining(['gbdt', 'gbdt_leafwise', 'mlp', 'ensemble', 'baseline:mean']));
    expect(Object.keys(m.final.ensembleWeights).sort()).toEqual(['gbdt', 'gbdt_leafwise', 'mlp']);
    const w = Object.values(m.final.ensembleWeights) as number[];
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(m.final.modelInfo.gbdt_leafwise.rows).toBe(3000);
    expect(out.primary).toBe('ensemble');
  });

  it('saves each tree model as XGBoost JSON that python xgboost predicts identically', async () => {
    const models = await Promise.all(
      ['gbdt', 'gbdt_leafwise'].map(async (name) => ({
        own: GbdtModel.fromJSON(await readFile(path.join(out.runDir, 'models', name, 'model.json'), 'utf8')),
        xgb: await readFile(path.join(out.runDir, 'models', name, 'xgboost.json'), 'utf8'),
      })),
    );
    const [depthwise, leafwise] = models.map((m) => m.own);
    expect(depthwise.params.grow_policy).toBe('depthwise');
    expect(Math.max(...depthwise.trees.map(treeDepth))).toBeLessThanOrEqual(3);
    expect(leafwise.params).toMatchObject({ grow_policy: 'lossguide', max_leaves: 15, max_depth: 0, min_child_weight: 20 });
    expect(Math.max(...leafwise.trees.map(treeDepth))).toBeGreaterThan(3);
    const X = ds.X;
    const python = predictManyWithXGBoost(models.map((m) => ({ modelJson: m.xgb, X, nFeatures: ds.featureNames.length })));
    models.forEach((m, k) => {
      const ours = m.own.predict(X);
      let maxDiff = 0;
      for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - python[k][i]));
      expect(maxDiff).toBeLessThan(1e-6);
    });
  });

  it('rejects a bad leaf-wise parameter before any fitting, naming it', async () => {
    const bad = train({ ...input, models: ['gbdt_leafwise'], gbdt_leafwise: { grow_policy: 'lossguide', max_depth: 0, max_leaves: 0 } }, localContext({ quiet: true }), deps);
    await expect(bad).rejects.toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/needs max_leaves > 0/) });
  });
});
