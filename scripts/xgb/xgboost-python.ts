/** Runs the python xgboost helpers in this folder (used by test/gbdt and bench/gbdt.ts). */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export function pythonPath(): string {
  const venv = join(ROOT, 'tools/venv/bin/python');
  return process.env.TRAINFLOW_PYTHON ?? (existsSync(venv) ? venv : 'python3');
}

/** Throws with the pip line to run if python xgboost cannot be imported. */
export function xgboostVersion(): string {
  try {
    return execFileSync(pythonPath(), ['-c', 'import xgboost, numpy; print(xgboost.__version__)'], { encoding: 'utf8' }).trim();
  } catch (e) {
    throw new Error(
      `python xgboost is not importable with ${pythonPath()} (install: tools/venv/bin/pip install xgboost-cpu numpy): ${(e as Error).message}`,
    );
  }
}

export function writeFloat64(path: string, data: Float64Array): void {
  writeFileSync(path, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

export function readFloat64(path: string): Float64Array {
  const buf = readFileSync(path);
  const out = new Float64Array(buf.length / 8);
  Buffer.from(out.buffer).set(buf);
  return out;
}

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'trainflow-xgb-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Predictions of python xgboost for an XGBoost JSON model text and a row-major matrix. */
export function predictWithXGBoost(modelJson: string, X: Float64Array, nFeatures: number): Float64Array {
  return withTempDir((dir) => {
    const model = join(dir, 'model.json');
    const x = join(dir, 'x.f64');
    const out = join(dir, 'pred.f64');
    writeFileSync(model, modelJson);
    writeFloat64(x, X);
    execFileSync(pythonPath(), [join(__dirname, 'predict.py'), model, x, String(nFeatures), out], { encoding: 'utf8' });
    return readFloat64(out);
  });
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
  return withTempDir((dir) => {
    const spec = {
      train_x: join(dir, 'train_x.f64'),
      train_y: join(dir, 'train_y.f64'),
      test_x: join(dir, 'test_x.f64'),
      out_pred: join(dir, 'pred.f64'),
      n_features: nFeatures,
      n_estimators: nEstimators,
      params,
    };
    writeFloat64(spec.train_x, train.X);
    writeFloat64(spec.train_y, train.y);
    writeFloat64(spec.test_x, testX);
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = JSON.parse(
      execFileSync(pythonPath(), [join(__dirname, 'train_hist.py'), join(dir, 'spec.json')], { encoding: 'utf8' }).trim().split('\n').pop()!,
    );
    return { xgboost: out.xgboost, trainSeconds: out.train_seconds, trainCpuSeconds: out.train_cpu_seconds, predictSeconds: out.predict_seconds, testPred: readFloat64(spec.out_pred) };
  });
}
