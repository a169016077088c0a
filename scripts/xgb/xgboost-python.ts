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

export const PIP_INSTALL = 'tools/venv/bin/pip install "xgboost-cpu==3.2.0" numpy';

/** Runs a helper script; a failure says whether xgboost is missing and how to install it. */
function runPython(script: string, args: string[]): string {
  try {
    return execFileSync(pythonPath(), [join(__dirname, script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    const missing = /No module named '(xgboost|numpy)'/.test(err.stderr ?? '');
    throw new Error(
      missing
        ? `python xgboost is not importable with ${pythonPath()}; install it: ${PIP_INSTALL}`
        : `${script} failed: ${err.stderr || err.message}`,
    );
  }
}

/** Version of the python xgboost; throws with the pip line if it cannot be imported. */
export function xgboostVersion(): string {
  return runPython('version.py', []).trim();
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
      runPython('train_hist.py', [join(dir, 'spec.json')]).trim().split('\n').pop()!,
    );
    return { xgboost: out.xgboost, trainSeconds: out.train_seconds, trainCpuSeconds: out.train_cpu_seconds, predictSeconds: out.predict_seconds, testPred: readFloat64(spec.out_pred) };
  });
}
