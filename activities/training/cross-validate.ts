// Walk-forward CV of every requested model and the naive baselines on the same folds.
import { mapModelErrors } from './model-errors';
import { baselinePredictions, BASELINES } from '../../models/evaluation/baselines';
import { computeMetrics, type Metrics } from '../../models/evaluation/metrics';
import { walkForwardSplits, type Fold, type SplitOptions } from '../../models/evaluation/splitter';
import { summarizeFolds, type ModelCvResult } from '../../models/evaluation/summary';
import { baselineKey } from '../../models/evaluation/gate';
import { NonRetryableError } from '../errors';
import type { Dataset } from './dataset';
import type { ResolvedTraining, TrainInput } from './config';
import { fitModelSet, type FitHooks } from './fit-models';
import { take, takeRows } from './rows';

export interface FoldInfo {
  fold: number;
  train: number;
  test: number;
  purged: number;
  embargoed: number;
  testFrom: number;
  testTo: number;
  ensembleWeights?: Record<string, number>;
  modelInfo: Record<string, Record<string, unknown>>;
}

export interface CvOutcome {
  folds: FoldInfo[];
  models: Record<string, ModelCvResult>;
  /** Out-of-sample forecasts, concatenated over folds, aligned with `rows`. */
  oos: { rows: Int32Array; preds: Record<string, Float64Array> };
}

/** One fold's outcome: what a retried attempt can reuse instead of refitting. */
export interface FoldResult {
  info: FoldInfo;
  /** Test rows (dataset indices) and each model's forecasts for them. */
  rows: number[];
  preds: Record<string, number[]>;
  metrics: Record<string, Metrics>;
}

export interface FoldCache {
  load(fold: number): Promise<FoldResult | undefined>;
  save(result: FoldResult): Promise<void>;
}

async function runFold(ds: Dataset, f: Fold, gap: number, res: ResolvedTraining, input: TrainInput, hooks: FitHooks): Promise<FoldResult> {
  const nf = ds.featureNames.length;
  const set = await fitModelSet(ds, f.train, gap, res, input, hooks);
  try {
    const yTest = take(ds.y, f.test);
    const preds = set.predict(takeRows(ds.X, nf, f.test));
    const yTrain = take(ds.y, f.train);
    for (const b of BASELINES) preds[baselineKey(b)] = baselinePredictions(b, yTrain, f.test.length);
    for (const [name, p] of Object.entries(preds)) {
      const bad = p.reduce((c, v) => c + (Number.isFinite(v) ? 0 : 1), 0);
      if (bad) throw new NonRetryableError(`${name} produced ${bad} non-finite forecasts of ${p.length} in fold ${f.fold} (diverged? lower the learning rate)`, 'NonFiniteForecast');
    }
    return {
      info: {
        fold: f.fold,
        train: f.train.length,
        test: f.test.length,
        purged: f.purged,
        embargoed: f.embargoed,
        testFrom: f.testFrom,
        testTo: f.testTo,
        ensembleWeights: set.ensemble ? Object.fromEntries(set.ensemble.models.map((m, k) => [m, set.ensemble!.weights[k]])) : undefined,
        modelInfo: Object.fromEntries(Object.entries(set.base).map(([n, m]) => [n, m.info()])),
      },
      rows: Array.from(f.test),
      preds: Object.fromEntries(Object.entries(preds).map(([n, p]) => [n, Array.from(p)])),
      metrics: Object.fromEntries(Object.entries(preds).map(([n, p]) => [n, computeMetrics(yTest, p)])),
    };
  } finally {
    set.dispose();
  }
}

export async function crossValidate(
  ds: Dataset,
  split: SplitOptions,
  res: ResolvedTraining,
  input: TrainInput,
  hooks: FitHooks & { onFold?: (fold: number, of: number) => void; cache?: FoldCache } = {},
): Promise<CvOutcome> {
  const splits = mapModelErrors(() => walkForwardSplits(ds.time, split));
  const gap = Math.max(split.horizonMs, split.purgeMs ?? 0);
  const perModel: Record<string, Metrics[]> = {};
  const oosRows: number[] = [];
  const oosPreds: Record<string, number[]> = {};
  const folds: FoldInfo[] = [];
  for (const f of splits) {
    hooks.onFold?.(f.fold, splits.length);
    const result = (await hooks.cache?.load(f.fold)) ?? (await runFold(ds, f, gap, res, input, hooks));
    await hooks.cache?.save(result);
    for (const [name, p] of Object.entries(result.preds)) {
      (perModel[name] ??= []).push(result.metrics[name]);
      const acc = (oosPreds[name] ??= []);
      for (const v of p) acc.push(v);
    }
    for (const i of result.rows) oosRows.push(i);
    folds.push(result.info);
  }
  const models: Record<string, ModelCvResult> = {};
  for (const [name, ms] of Object.entries(perModel)) models[name] = summarizeFolds(ms);
  return {
    folds,
    models,
    oos: { rows: Int32Array.from(oosRows), preds: Object.fromEntries(Object.entries(oosPreds).map(([k, v]) => [k, Float64Array.from(v)])) },
  };
}
