/** Runs python LightGBM (tools/venv) for bench/gbdt-lightgbm.ts: the leaf-wise baseline. */
import { join } from 'node:path';
import { trainPythonBaseline } from '../python/python-process';

export const PIP_INSTALL = 'tools/venv/bin/pip install "lightgbm==4.7.0"';

export interface LightGBMRun {
  lightgbm: string;
  trainSeconds: number;
  trainCpuSeconds: number;
  predictSeconds: number;
  trees: number;
  maxLeaves: number;
  meanLeaves: number;
  testPred: Float64Array;
}

export function trainLightGBM(
  train: { X: Float64Array; y: Float64Array },
  testX: Float64Array,
  nFeatures: number,
  nEstimators: number,
  params: Record<string, number | string | boolean>,
): LightGBMRun {
  const { report: r, testPred } = trainPythonBaseline(join(__dirname, 'train.py'), train, testX, nFeatures, nEstimators, params, {
    modules: ['lightgbm'],
    hint: (python) => `python lightgbm is not importable with ${python}; install it: ${PIP_INSTALL}`,
  });
  return {
    lightgbm: String(r.lightgbm),
    trainSeconds: r.train_seconds,
    trainCpuSeconds: r.train_cpu_seconds,
    predictSeconds: r.predict_seconds,
    trees: Number(r.trees),
    maxLeaves: Number(r.max_leaves),
    meanLeaves: Number(r.mean_leaves),
    testPred,
  };
}
