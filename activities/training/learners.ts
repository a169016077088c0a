// The base models behind one interface: fit on rows (with a validation set for early stopping),
// predict, say how important each feature was, save themselves into a run folder.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { trainMlp, saveMlp, type MlpParams, type EpochLog } from '../../models/mlp';
import { trainGbdtInWorker, type GbdtParams } from '../../models/gbdt';

/** The two tree models: XGBoost-style depth-wise and LightGBM-style leaf-wise (same learner). */
export type TreeModelName = 'gbdt' | 'gbdt_leafwise';
export type BaseModelName = TreeModelName | 'mlp';
export const BASE_MODELS: readonly BaseModelName[] = ['gbdt', 'gbdt_leafwise', 'mlp'];

export function isTreeModel(name: string): name is TreeModelName {
  return name === 'gbdt' || name === 'gbdt_leafwise';
}

/** Defaults under the stage's own parameters: gbdt_leafwise grows like LightGBM (31 leaves, no depth limit). */
const TREE_DEFAULTS: Record<TreeModelName, GbdtParams> = {
  gbdt: {},
  gbdt_leafwise: { grow_policy: 'lossguide', max_leaves: 31, max_depth: 0 },
};

/** A tree model's parameters: its defaults under the given ones (aliases of max_leaves/max_depth replace the default). */
export function treeParams(name: TreeModelName, given: Record<string, unknown> | undefined): GbdtParams {
  const defaults: Record<string, unknown> = { ...TREE_DEFAULTS[name] };
  const g = given ?? {};
  if ('num_leaves' in g) delete defaults.max_leaves;
  return { ...defaults, ...g } as GbdtParams;
}

export interface FittedModel {
  predict(X: Float64Array): Float64Array;
  /** Per-feature importance (tree models: mean split gain), if the model has one. */
  importance?(): number[];
  /** Writes the model's files under dir; returns their paths. */
  save(dir: string, featureNames: string[]): Promise<string[]>;
  /** Small facts for metrics.json (best iteration/epoch…). */
  info(): Record<string, unknown>;
  dispose(): void;
}

export interface FitData {
  X: Float64Array;
  y: Float64Array;
  nFeatures: number;
  featureNames: string[];
  valid?: { X: Float64Array; y: Float64Array };
  onEpoch?: (log: EpochLog) => void;
  signal?: AbortSignal;
}

export async function fitBaseModel(name: BaseModelName, params: Record<string, unknown>, d: FitData): Promise<FittedModel> {
  return isTreeModel(name) ? fitGbdt(params as GbdtParams, d) : fitMlp(params as Partial<MlpParams>, d);
}

async function fitGbdt(params: GbdtParams, d: FitData): Promise<FittedModel> {
  // In a worker thread, off this event loop; rounds report like epochs, so the stage heartbeats
  // during a long fit, and cancelling the activity stops the fit thread at once.
  const m = await trainGbdtInWorker(d.X, d.y, d.nFeatures, params, d.valid, {
    signal: d.signal,
    onRound: (r) => d.onEpoch?.({ epoch: r.round, loss: r.train, valLoss: r.valid }),
  });
  return {
    predict: (X) => m.predict(X),
    importance: () => m.featureImportance('gain'),
    async save(dir, featureNames) {
      await mkdir(dir, { recursive: true });
      const xgb = path.join(dir, 'xgboost.json');
      const own = path.join(dir, 'model.json');
      await writeFile(xgb, m.toXGBoostJSONString(featureNames));
      await writeFile(own, JSON.stringify(m.toJSON()));
      return [xgb, own];
    },
    info: () => ({ bestIteration: m.bestIteration, trees: m.trees.length }),
    dispose: () => {},
  };
}

async function fitMlp(params: Partial<MlpParams>, d: FitData): Promise<FittedModel> {
  const m = await trainMlp(d.X, d.y, d.nFeatures, params, d.valid, { featureNames: d.featureNames, onEpoch: d.onEpoch, signal: d.signal });
  return {
    predict: (X) => m.predict(X),
    async save(dir) {
      const { modelJson, weightsBin } = await saveMlp(m, dir);
      return [modelJson, weightsBin];
    },
    info: () => ({ bestEpoch: m.meta.bestEpoch, epochs: m.meta.history.length, backend: m.meta.backend }),
    dispose: () => m.dispose(),
  };
}
