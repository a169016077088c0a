/** Runs the python xgboost helpers in this folder (used by test/gbdt and bench/gbdt.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFloat64, runPythonScript, trainPythonBaseline, withTempDir, writeFloat64, type MissingModuleHint } from '../python/python-process';

export const PIP_INSTALL = 'tools/venv/bin/pip install "xgboost-cpu==3.2.0" numpy';

const MISSING: MissingModuleHint = {
  modules: ['xgboost', 'numpy'],
  hint: (python) => `python xgboost is not importable with ${python}; install it: ${PIP_INSTALL}`,
};

const runPython = (script: string, args: string[]) => runPythonScript(join(__dirname, script), args, MISSING);

/** Version of the python xgboost; throws with the pip line if it cannot be imported. */
export function xgboostVersion(): string {
  return runPython('version.py', []).trim();
}

export interface PredictJob {
  /** XGBoost JSON model text. */
  modelJson: string;
  X: Float64Array;
  nFeatures: number;
}

/** Predictions of python xgboost for several models, in one python process (imports are slow). */
export function predictManyWithXGBoost(jobs: PredictJob[]): Float64Array[] {
  return withTempDir((dir) => {
    const spec = jobs.map((job, i) => {
      const files = { model: join(dir, `model${i}.json`), x: join(dir, `x${i}.f64`), out: join(dir, `pred${i}.f64`) };
      writeFileSync(files.model, job.modelJson);
      writeFloat64(files.x, job.X);
      return { ...files, n_features: job.nFeatures };
    });
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify(spec));
    runPython('predict.py', ['--batch', join(dir, 'jobs.json')]);
    return spec.map((s) => readFloat64(s.out));
  });
}

/** Predictions of python xgboost for an XGBoost JSON model text and a row-major matrix. */
export function predictWithXGBoost(modelJson: string, X: Float64Array, nFeatures: number): Float64Array {
  return predictManyWithXGBoost([{ modelJson, X, nFeatures }])[0];
}

export interface XGBoostHistRun {
  xgboost: string;
  trainSeconds: number;
  /** CPU time of the training process (fairer than wall time on a busy machine). */
  trainCpuSeconds: number;
  predictSeconds: number;
  testPred: Float64Array;
}

/** Trains python xgboost (hist, nthread=1) and predicts the test rows. */
export function trainXGBoostHist(
  train: { X: Float64Array; y: Float64Array },
  testX: Float64Array,
  nFeatures: number,
  nEstimators: number,
  params: Record<string, number | string>,
): XGBoostHistRun {
  const { report: r, testPred } = trainPythonBaseline(join(__dirname, 'train_hist.py'), train, testX, nFeatures, nEstimators, params, MISSING);
  return { xgboost: String(r.xgboost), trainSeconds: r.train_seconds, trainCpuSeconds: r.train_cpu_seconds, predictSeconds: r.predict_seconds, testPred };
}
