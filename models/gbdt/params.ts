/** Training parameters, named and meant as in XGBoost (reg:squarederror, tree_method=hist). */
export interface GbdtParams {
  n_estimators?: number;
  /**
   * Depth limit. 0 means no limit under lossguide (xgboost's meaning); under depthwise it keeps
   * every tree a single leaf.
   */
  max_depth?: number;
  /** 'depthwise' (xgboost's default: level by level) or 'lossguide' (best leaf first, LightGBM's way). */
  grow_policy?: 'depthwise' | 'lossguide';
  /** Most leaves per tree, 0 = no limit (both policies; needed with lossguide and max_depth 0). */
  max_leaves?: number;
  /** LightGBM's name of max_leaves. */
  num_leaves?: number;
  eta?: number;
  /** Alias of eta. */
  learning_rate?: number;
  subsample?: number;
  colsample_bytree?: number;
  /** Minimum sum of hessian in each child (for squared error: a row count). */
  min_child_weight?: number;
  /**
   * LightGBM's minimum row count per leaf. Under squared error every row has hessian 1, so this is
   * exactly min_child_weight (an alias of it).
   */
  min_data_in_leaf?: number;
  lambda?: number;
  /** Alias of lambda. */
  reg_lambda?: number;
  alpha?: number;
  /** Alias of alpha. */
  reg_alpha?: number;
  /** Minimum loss reduction (XGBoost's loss_chg, see split-finder.ts) to make a split. */
  gamma?: number;
  /** Alias of gamma. */
  min_split_loss?: number;
  /** Initial prediction; default is the mean of y, as xgboost ≥ 2.0 estimates it for reg:squarederror. */
  base_score?: number;
  /** Maximum number of value bins per feature, 2..256 (255 are used at most: bins are Uint8 codes and one code is for missing). */
  max_bin?: number;
  /** Stop when the validation RMSE has not improved for this many rounds (needs a validation set). */
  early_stopping_rounds?: number;
  seed?: number;
  /** Threads for the fit (the worker_threads build); the same trees up to float summation order. Default 1. */
  nthread?: number;
}

export interface ResolvedParams {
  n_estimators: number;
  max_depth: number;
  grow_policy: 'depthwise' | 'lossguide';
  max_leaves: number;
  eta: number;
  subsample: number;
  colsample_bytree: number;
  min_child_weight: number;
  lambda: number;
  alpha: number;
  gamma: number;
  base_score: number | undefined;
  max_bin: number;
  early_stopping_rounds: number | undefined;
  seed: number;
  nthread: number;
}

type NumericParam = Exclude<keyof GbdtParams, 'grow_policy'>;

function pick(params: GbdtParams, names: NumericParam[], fallback: number): number {
  const given = names.filter((n) => params[n] !== undefined);
  if (given.length > 1 && new Set(given.map((n) => params[n])).size > 1) {
    throw new Error(`conflicting values for aliases ${given.join(' / ')}`);
  }
  return given.length ? (params[given[0]] as number) : fallback;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`invalid GBDT parameter: ${message}`);
}

export function resolveParams(params: GbdtParams): ResolvedParams {
  const p: ResolvedParams = {
    n_estimators: pick(params, ['n_estimators'], 100),
    max_depth: pick(params, ['max_depth'], 6),
    grow_policy: params.grow_policy ?? 'depthwise',
    max_leaves: pick(params, ['max_leaves', 'num_leaves'], 0),
    eta: pick(params, ['eta', 'learning_rate'], 0.3),
    subsample: pick(params, ['subsample'], 1),
    colsample_bytree: pick(params, ['colsample_bytree'], 1),
    min_child_weight: pick(params, ['min_child_weight', 'min_data_in_leaf'], 1),
    lambda: pick(params, ['lambda', 'reg_lambda'], 1),
    alpha: pick(params, ['alpha', 'reg_alpha'], 0),
    gamma: pick(params, ['gamma', 'min_split_loss'], 0),
    base_score: params.base_score,
    max_bin: pick(params, ['max_bin'], 256),
    early_stopping_rounds: params.early_stopping_rounds,
    seed: pick(params, ['seed'], 0),
    nthread: pick(params, ['nthread'], 1),
  };
  check(Number.isInteger(p.n_estimators) && p.n_estimators >= 1, 'n_estimators must be an integer ≥ 1');
  check(Number.isInteger(p.max_depth) && p.max_depth >= 0 && p.max_depth <= 30, 'max_depth must be an integer in 0..30');
  check(p.grow_policy === 'depthwise' || p.grow_policy === 'lossguide', `grow_policy must be 'depthwise' or 'lossguide', got '${String(p.grow_policy)}'`);
  check(Number.isInteger(p.max_leaves) && p.max_leaves >= 0 && p.max_leaves <= 65536, 'max_leaves must be an integer in 0..65536 (0 = no limit)');
  check(p.max_leaves !== 1, 'max_leaves must not be 1 (a tree of one leaf cannot learn; use 0 for no limit)');
  check(
    !(p.grow_policy === 'lossguide' && p.max_depth === 0 && p.max_leaves === 0),
    'lossguide with max_depth 0 (no depth limit) needs max_leaves > 0',
  );
  check(p.eta > 0 && p.eta <= 1, 'eta must be in (0, 1]');
  check(p.subsample > 0 && p.subsample <= 1, 'subsample must be in (0, 1]');
  check(p.colsample_bytree > 0 && p.colsample_bytree <= 1, 'colsample_bytree must be in (0, 1]');
  check(p.min_child_weight >= 0, 'min_child_weight must be ≥ 0');
  check(p.lambda >= 0, 'lambda must be ≥ 0');
  check(p.alpha >= 0, 'alpha must be ≥ 0');
  check(p.gamma >= 0, 'gamma must be ≥ 0');
  check(p.base_score === undefined || Number.isFinite(p.base_score), 'base_score must be finite');
  check(Number.isInteger(p.max_bin) && p.max_bin >= 2 && p.max_bin <= 256, 'max_bin must be an integer in 2..256');
  check(
    p.early_stopping_rounds === undefined || (Number.isInteger(p.early_stopping_rounds) && p.early_stopping_rounds >= 1),
    'early_stopping_rounds must be an integer ≥ 1',
  );
  check(Number.isInteger(p.seed), 'seed must be an integer');
  check(Number.isInteger(p.nthread) && p.nthread >= 1 && p.nthread <= 64, 'nthread must be an integer in 1..64');
  return p;
}
