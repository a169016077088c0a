/** Runs python LightGBM (tools/venv) for bench/gbdt-lightgbm.ts: the leaf-wise baseline. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonPath, readFloat64, withTempDir, writeFloat64 } from '../xgb/xgboost-python';

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
    let stdout: string;
    try {
      stdout = execFileSync(pythonPath(), [join(__dirname, 'train.py'), join(dir, 'spec.json')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const stderr = (e as { stderr?: string }).stderr ?? '';
      throw new Error(/No module named 'lightgbm'/.test(stderr) ? `python lightgbm is not importable with ${pythonPath()}; install it: ${PIP_INSTALL}` : `train.py failed: ${stderr || (e as Error).message}`);
    }
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    return {
      lightgbm: out.lightgbm,
      trainSeconds: out.train_seconds,
      trainCpuSeconds: out.train_cpu_seconds,
      predictSeconds: out.predict_seconds,
      trees: out.trees,
      maxLeaves: out.max_leaves,
      meanLeaves: out.mean_leaves,
      testPred: readFloat64(spec.out_pred),
    };
  });
}
