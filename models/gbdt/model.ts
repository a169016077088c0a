import type { ResolvedParams } from './params';
import { addTreeOutputs, Tree } from './tree';
import { toXGBoostModel, stringifyXGBoostModel, XGBoostModelJSON } from './xgboost-json';

/** RMSE after each boosting round, on the training rows and on the validation set if any. */
export interface EvalHistory {
  train: number[];
  valid?: number[];
}

export type ImportanceType = 'gain' | 'total_gain' | 'weight';

export interface GbdtModelState {
  nFeatures: number;
  baseScore: number;
  trees: Tree[];
  /** Index of the last tree used by predict (the best round under early stopping). */
  bestIteration: number;
  bestScore?: number;
  evalHistory: EvalHistory;
  params: ResolvedParams;
}

/** Own compact serialization (toJSON/fromJSON); thresholds and values are float32, so exact in JSON. */
export interface GbdtModelJSON {
  format: 'trainflow-gbdt';
  version: 1;
  nFeatures: number;
  baseScore: number;
  bestIteration: number;
  bestScore?: number;
  params: ResolvedParams;
  evalHistory: EvalHistory;
  trees: {
    left: number[];
    right: number[];
    parent: number[];
    feature: number[];
    threshold: number[];
    defaultLeft: number[];
    value: number[];
    lossChange: number[];
    sumHessian: number[];
  }[];
}

export class GbdtModel {
  readonly nFeatures: number;
  readonly baseScore: number;
  readonly trees: readonly Tree[];
  readonly bestIteration: number;
  readonly bestScore?: number;
  readonly evalHistory: EvalHistory;
  readonly params: ResolvedParams;

  constructor(state: GbdtModelState) {
    this.nFeatures = state.nFeatures;
    this.baseScore = state.baseScore;
    this.trees = state.trees;
    this.bestIteration = state.bestIteration;
    this.bestScore = state.bestScore;
    this.evalHistory = state.evalHistory;
    this.params = state.params;
  }

  /** Number of trees predict uses by default: those up to bestIteration. */
  get nTreesUsed(): number {
    return this.bestIteration + 1;
  }

  /**
   * Predicts a row-major n × nFeatures matrix, with trees 0..bestIteration unless nTrees is given.
   * Sums in float32 like XGBoost, so python xgboost on the export gives bit-identical values.
   */
  predict(X: Float64Array, options: { nTrees?: number } = {}): Float64Array {
    const f = this.nFeatures;
    if (X.length % f !== 0) throw new Error(`X length ${X.length} is not a multiple of ${f} features`);
    const n = X.length / f;
    const nTrees = Math.min(options.nTrees ?? this.nTreesUsed, this.trees.length);
    const out = new Float64Array(n).fill(this.baseScore);
    const X32 = Float32Array.from(X);
    // float32 accumulation, tree by tree, as XGBoost's CPU predictor does: exports predict alike.
    for (let t = 0; t < nTrees; t++) addTreeOutputs(this.trees[t], X32, n, f, out);
    return out;
  }

  /**
   * Per-feature importance over the trees predict uses, as XGBoost's get_score: 'weight' = number
   * of splits, 'gain' = mean loss_chg of its splits, 'total_gain' = their sum.
   */
  featureImportance(type: ImportanceType = 'gain'): number[] {
    const splits = new Array<number>(this.nFeatures).fill(0);
    const gain = new Array<number>(this.nFeatures).fill(0);
    for (let t = 0; t < this.nTreesUsed; t++) {
      const tree = this.trees[t];
      for (let i = 0; i < tree.left.length; i++) {
        if (tree.left[i] === -1) continue;
        splits[tree.feature[i]] += 1;
        gain[tree.feature[i]] += tree.lossChange[i];
      }
    }
    if (type === 'weight') return splits;
    if (type === 'total_gain') return gain;
    return gain.map((g, f) => (splits[f] ? g / splits[f] : 0));
  }

  /** XGBoost's JSON model (save_model .json) object; write it with toXGBoostJSONString, not JSON.stringify. */
  toXGBoostJSON(featureNames?: string[]): XGBoostModelJSON {
    return toXGBoostModel(this, featureNames);
  }

  /** The XGBoost JSON model as text, with float arrays written as floats (XGBoost's loader is strictly typed). */
  toXGBoostJSONString(featureNames?: string[]): string {
    return stringifyXGBoostModel(this.toXGBoostJSON(featureNames));
  }

  toJSON(): GbdtModelJSON {
    return {
      format: 'trainflow-gbdt',
      version: 1,
      nFeatures: this.nFeatures,
      baseScore: this.baseScore,
      bestIteration: this.bestIteration,
      ...(this.bestScore !== undefined ? { bestScore: this.bestScore } : {}),
      params: this.params,
      evalHistory: this.evalHistory,
      trees: this.trees.map((t) => ({
        left: Array.from(t.left),
        right: Array.from(t.right),
        parent: Array.from(t.parent),
        feature: Array.from(t.feature),
        threshold: Array.from(t.threshold),
        defaultLeft: Array.from(t.defaultLeft),
        value: Array.from(t.value),
        lossChange: Array.from(t.lossChange),
        sumHessian: Array.from(t.sumHessian),
      })),
    };
  }

  static fromJSON(json: GbdtModelJSON | string): GbdtModel {
    const j: GbdtModelJSON = typeof json === 'string' ? JSON.parse(json) : json;
    if (j.format !== 'trainflow-gbdt' || j.version !== 1) throw new Error('not a trainflow-gbdt v1 model');
    return new GbdtModel({
      nFeatures: j.nFeatures,
      baseScore: j.baseScore,
      bestIteration: j.bestIteration,
      bestScore: j.bestScore,
      params: j.params,
      evalHistory: j.evalHistory,
      trees: j.trees.map((t) => ({
        left: Int32Array.from(t.left),
        right: Int32Array.from(t.right),
        parent: Int32Array.from(t.parent),
        feature: Int32Array.from(t.feature),
        threshold: Float32Array.from(t.threshold),
        defaultLeft: Uint8Array.from(t.defaultLeft),
        value: Float32Array.from(t.value),
        lossChange: Float64Array.from(t.lossChange),
        sumHessian: Float64Array.from(t.sumHessian),
      })),
    });
  }
}
