// The deployed models should have seen the most recent data, which the final fit held out for
// early stopping. Refit each base model on all rows with the iteration count early stopping
// chose (gbdt trees, mlp epochs), no validation set. Ensemble weights stay those chosen on the
// holdout.
import type { Dataset } from './dataset';
import type { TrainInput } from './config';
import { fitBaseModel, isTreeModel, treeParams, type BaseModelName, type FittedModel } from './learners';
import type { FitHooks } from './fit-models';
import { take, takeRows } from './rows';

export function fixedIterationParams(name: BaseModelName, input: TrainInput, info: Record<string, unknown>): Record<string, unknown> {
  if (isTreeModel(name)) {
    const { early_stopping_rounds: _drop, ...rest } = treeParams(name, input[name]) as Record<string, unknown>;
    return { ...rest, n_estimators: Number(info.bestIteration) + 1 };
  }
  return { ...(input.mlp ?? {}), epochs: Math.max(1, Number(info.bestEpoch)) };
}

export async function refitOnAll(
  ds: Dataset,
  rows: Int32Array,
  chosen: Record<string, FittedModel>,
  input: TrainInput,
  hooks: FitHooks = {},
): Promise<Record<string, FittedModel>> {
  const nf = ds.featureNames.length;
  const X = takeRows(ds.X, nf, rows);
  const y = take(ds.y, rows);
  const out: Record<string, FittedModel> = {};
  for (const [name, m] of Object.entries(chosen) as Array<[BaseModelName, FittedModel]>) {
    hooks.onModel?.(`${name} (refit on all rows)`);
    out[name] = await fitBaseModel(name, fixedIterationParams(name, input, m.info()), {
      X,
      y,
      nFeatures: nf,
      featureNames: ds.featureNames,
      onEpoch: (log) => hooks.onEpoch?.(name, log),
      signal: hooks.signal,
    });
  }
  return out;
}
