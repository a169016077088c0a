/** Runs the Python baselines and oracles of tools/venv (xgboost, LightGBM, TA-Lib) and passes
 * float64 arrays to and from them as raw files in a temporary folder. Benchmarks and tests only. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export function pythonPath(): string {
  const venv = join(ROOT, 'tools/venv/bin/python');
  return process.env.TRAINFLOW_PYTHON ?? (existsSync(venv) ? venv : 'python3');
}

/** What to tell the user when one of `modules` cannot be imported. */
export interface MissingModuleHint {
  modules: string[];
  hint: (python: string) => string;
}

/** Runs `script` and returns its stdout; a failure says which module is missing and how to install it. */
export function runPythonScript(script: string, args: string[], missing: MissingModuleHint): string {
  try {
    return execFileSync(pythonPath(), [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    const stderr = err.stderr ?? '';
    const isMissing = missing.modules.some((m) => stderr.includes(`No module named '${m}'`));
    throw new Error(isMissing ? missing.hint(pythonPath()) : `${script} failed: ${stderr || err.message}`);
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
  const dir = mkdtempSync(join(tmpdir(), 'trainflow-py-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface BaselineTraining {
  /** The script's last stdout line, parsed (its timings, versions and tree statistics). */
  report: Record<string, unknown> & { train_seconds: number; train_cpu_seconds: number; predict_seconds: number };
  testPred: Float64Array;
}

/** Trains a Python tree baseline from one spec (train/test matrices as float64 files, row-major)
 * and reads back its predictions for the test rows. */
export function trainPythonBaseline(
  script: string,
  train: { X: Float64Array; y: Float64Array },
  testX: Float64Array,
  nFeatures: number,
  nEstimators: number,
  params: Record<string, number | string | boolean>,
  missing: MissingModuleHint,
): BaselineTraining {
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
    const stdout = runPythonScript(script, [join(dir, 'spec.json')], missing);
    return { report: JSON.parse(stdout.trim().split('\n').pop()!), testPred: readFloat64(spec.out_pred) };
  });
}
