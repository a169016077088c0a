// Fits the requested models on a set of rows: the chronologically last share becomes the
// validation set (purged of label overlap) for early stopping and for the ensemble weights, so
// nothing outside `rows` — in particular no test fold — influences the fit.
import type { EpochLog } from '../../models/mlp';
import { blend, fitEnsembleWeights, type EnsembleWeights } from '../../models/ensemble';
import { holdoutSplit } from '../../models/evaluation/splitter';
import { NonRetryableError } from '../errors';
import type { Dataset } from './dataset';
import type { ResolvedTraining, TrainInput } from './config';
import { fitBaseModel, isTreeModel, treeParams, type FittedModel } from './learners';
import { take, takeRows } from './rows';

export interface FittedSet {
  base: Record<string, FittedModel>;
  ensemble?: EnsembleWeights;
  validRows: number;
  fitRows: number;
  /** Forecasts of every model (base models and 'ensemble') for raw rows X. */
  predict(X: Float64Array): Record<string, Float64Array>;
  dispose(): void;
}

export interface FitHooks {
  onEpoch?: (model: string, log: EpochLog) => void;
  onModel?: (model: string) => void;
  signal?: AbortSignal;
}

const MIN_FIT_ROWS = 10;

export async function fitModelSet(
  ds: Dataset,
  rows: Int32Array,
  gapMs: number,
  res: ResolvedTraining,
  input: TrainInput,
  hooks: FitHooks = {},
): Promise<FittedSet> {
  const nf = ds.featureNames.length;
  const { fit, valid } = holdoutSplit(rows, ds.time, res.validFraction, gapMs);
  if (fit.length < MIN_FIT_ROWS || valid.length === 0) {
    throw new NonRetryableError(
      `too few samples to fit: ${rows.length} training rows leave ${fit.length} to fit and ${valid.length} to validate after a ${gapMs} ms purge gap`,
      'TooFewSamples',
    );
  }
  const Xf = takeRows(ds.X, nf, fit);
  const yf = take(ds.y, fit);
  const Xv = takeRows(ds.X, nf, valid);
  const yv = take(ds.y, valid);
  const base: Record<string, FittedModel> = {};
  for (const name of res.base) {
    if (hooks.signal?.aborted) throw new Error('training cancelled');
    hooks.onModel?.(name);
    const params = isTreeModel(name) ? treeParams(name, input[name]) : (input.mlp ?? {});
    base[name] = await fitBaseModel(name, params as Record<string, unknown>, {
      X: Xf,
      y: yf,
      nFeatures: nf,
      featureNames: ds.featureNames,
      valid: { X: Xv, y: yv },
      onEpoch: (log) => hooks.onEpoch?.(name, log),
      signal: hooks.signal,
    });
  }
  let ensemble: EnsembleWeights | undefined;
  if (res.ensemble) {
    const names = Object.keys(base);
    ensemble = fitEnsembleWeights(names, names.map((n) => base[n].predict(Xv)), yv);
  }
  return {
    base,
    ensemble,
    fitRows: fit.length,
    validRows: valid.length,
    predict(X) {
      const out: Record<string, Float64Array> = {};
      for (const [n, m] of Object.entries(base)) out[n] = m.predict(X);
      if (ensemble) out.ensemble = blend(ensemble.models.map((n) => out[n]), ensemble.weights);
      return out;
    },
    dispose() {
      for (const m of Object.values(base)) m.dispose();
    },
  };
}
