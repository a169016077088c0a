import type { GbdtModel } from './model';

/**
 * XGBoost's JSON model format (Booster.save_model('x.json')), for reg:squarederror gbtree models.
 * Written in the 2.x layout (scalar base_score string), which xgboost 1.7 to 3.2 load.
 */
export interface XGBoostTreeJSON {
  id: number;
  tree_param: { num_nodes: string; num_feature: string; size_leaf_vector: string; num_deleted: string };
  left_children: number[];
  right_children: number[];
  parents: number[];
  split_indices: number[];
  /** Threshold at internal nodes, leaf output (already × eta) at leaves. Float array. */
  split_conditions: number[];
  default_left: number[];
  split_type: number[];
  base_weights: number[];
  loss_changes: number[];
  sum_hessian: number[];
  categories: number[];
  categories_nodes: number[];
  categories_segments: number[];
  categories_sizes: number[];
}

export interface XGBoostModelJSON {
  version: number[];
  learner: {
    attributes: Record<string, string>;
    feature_names: string[];
    feature_types: string[];
    learner_model_param: Record<string, string>;
    objective: { name: 'reg:squarederror'; reg_loss_param: { scale_pos_weight: string } };
    gradient_booster: {
      name: 'gbtree';
      model: {
        gbtree_model_param: { num_trees: string; num_parallel_tree: string; size_leaf_vector: string };
        iteration_indptr: number[];
        tree_info: number[];
        trees: XGBoostTreeJSON[];
      };
    };
  };
}

/** Keys whose arrays XGBoost's loader reads as floats: an integer literal there fails to load. */
const FLOAT_ARRAY_KEYS = new Set(['split_conditions', 'base_weights', 'loss_changes', 'sum_hessian']);

/** XGBoost's root parent marker. */
const NO_PARENT = 2147483647;

/**
 * Exports trees 0..bestIteration (so a plain Booster.predict equals model.predict); with early
 * stopping, attributes.best_iteration/best_score are set as xgboost's training would set them.
 */
export function toXGBoostModel(model: GbdtModel, featureNames?: string[]): XGBoostModelJSON {
  const nf = model.nFeatures;
  if (featureNames && featureNames.length !== nf) throw new Error(`${featureNames.length} feature names for ${nf} features`);
  const trees = model.trees.slice(0, model.nTreesUsed).map((t, id): XGBoostTreeJSON => {
    const n = t.left.length;
    const isLeaf = (i: number) => t.left[i] === -1;
    return {
      id,
      tree_param: { num_nodes: String(n), num_feature: String(nf), size_leaf_vector: '0', num_deleted: '0' },
      left_children: Array.from(t.left),
      right_children: Array.from(t.right),
      parents: Array.from(t.parent, (p) => (p < 0 ? NO_PARENT : p)),
      split_indices: Array.from(t.feature, (f, i) => (isLeaf(i) ? 0 : f)),
      split_conditions: Array.from(t.threshold, (thr, i) => (isLeaf(i) ? t.value[i] : thr)),
      default_left: Array.from(t.defaultLeft, (d, i) => (isLeaf(i) ? 0 : d)),
      split_type: new Array<number>(n).fill(0),
      base_weights: Array.from(t.value),
      loss_changes: Array.from(t.lossChange),
      sum_hessian: Array.from(t.sumHessian),
      categories: [],
      categories_nodes: [],
      categories_segments: [],
      categories_sizes: [],
    };
  });
  const attributes: Record<string, string> = {};
  if (model.params.early_stopping_rounds !== undefined && model.bestScore !== undefined) {
    attributes.best_iteration = String(model.bestIteration);
    attributes.best_score = String(model.bestScore);
  }
  return {
    version: [2, 1, 0],
    learner: {
      attributes,
      feature_names: featureNames ? [...featureNames] : [],
      feature_types: featureNames ? featureNames.map(() => 'float') : [],
      learner_model_param: {
        base_score: formatFloat(model.baseScore),
        boost_from_average: '1',
        num_class: '0',
        num_feature: String(nf),
        num_target: '1',
      },
      objective: { name: 'reg:squarederror', reg_loss_param: { scale_pos_weight: '1' } },
      gradient_booster: {
        name: 'gbtree',
        model: {
          gbtree_model_param: { num_trees: String(trees.length), num_parallel_tree: '1', size_leaf_vector: '0' },
          iteration_indptr: Array.from({ length: trees.length + 1 }, (_, i) => i),
          tree_info: new Array<number>(trees.length).fill(0),
          trees,
        },
      },
    },
  };
}

/**
 * Shortest decimal that reads back as the same float32, always with a '.' or exponent so
 * XGBoost's typed JSON parser sees a float, not an integer.
 */
export function formatFloat(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`cannot write ${v} into an XGBoost model`);
  const f = Math.fround(v);
  let s = String(f);
  for (let p = 1; p <= 9; p++) {
    const c = f.toPrecision(p);
    if (Math.fround(Number(c)) === f) {
      s = c;
      break;
    }
  }
  s = s.replace('e+', 'e');
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** JSON.stringify with the float arrays written as floats. */
export function stringifyXGBoostModel(model: XGBoostModelJSON): string {
  const write = (value: unknown, key: string | null): string => {
    if (Array.isArray(value)) {
      if (key !== null && FLOAT_ARRAY_KEYS.has(key)) return `[${value.map((v) => formatFloat(v as number)).join(',')}]`;
      return `[${value.map((v) => write(v, null)).join(',')}]`;
    }
    if (value !== null && typeof value === 'object') {
      const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${write(v, k)}`);
      return `{${parts.join(',')}}`;
    }
    return JSON.stringify(value);
  };
  return write(model, null);
}
