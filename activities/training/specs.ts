// The training domain's activity types and the JSON Schemas of their `with:` inputs. Pure data.
import type { ActivitySpec, JsonSchema } from '../../dsl/activity-spec';

const duration: JsonSchema = {
  type: ['integer', 'string'],
  description: 'Bars (integer) or a duration such as "30m", "2h", "1d"',
};

const gate: JsonSchema = {
  type: 'object',
  description: 'Publish gate on the mean CV metrics',
  properties: {
    metric: { type: 'string', enum: ['r2', 'mae', 'rmse', 'dirAcc', 'ic'], description: 'Metric compared with the baseline' },
    mustBeatBaseline: { type: 'string', enum: ['mean', 'zero', 'none'], default: 'mean', description: 'Naive baseline to beat (training-mean or zero return)' },
    byMargin: { type: 'number', minimum: 0, default: 0, description: 'Relative improvement for mae/rmse, absolute for r2/dirAcc/ic' },
    minR2: { type: 'number', description: 'Optional floor on the mean CV R²' },
    model: { type: 'string', description: 'Model to gate (default: ensemble if trained, else the first model)' },
    allowLeakSuspect: { type: 'boolean', default: false, description: 'Let a run with CV R² > 0.9 pass (it almost surely leaks)' },
    allowDrift: { type: 'boolean', default: false, description: "Let a run pass while the nightly shadow evaluation's drift alarm stands against the published model" },
  },
  required: ['metric'],
  additionalProperties: false,
};

const count: JsonSchema = { type: 'integer', minimum: 0 };
const nonNegative: JsonSchema = { type: 'number', minimum: 0 };

/** GBDT parameters, named as in XGBoost (LightGBM's num_leaves / min_data_in_leaf as aliases). */
function treeParams(description: string): JsonSchema {
  return {
    type: 'object',
    description,
    properties: {
      n_estimators: { type: 'integer', minimum: 1, description: 'Boosting rounds' },
      grow_policy: { type: 'string', enum: ['depthwise', 'lossguide'], description: 'depthwise: level by level; lossguide: best leaf first (leaf-wise)' },
      max_depth: { ...count, maximum: 30, description: '0 = no limit under lossguide' },
      max_leaves: { ...count, description: 'Leaves per tree, 0 = no limit' },
      num_leaves: { ...count, description: "LightGBM's name of max_leaves" },
      eta: { type: 'number', minimum: 0, maximum: 1 },
      learning_rate: { type: 'number', minimum: 0, maximum: 1, description: 'Alias of eta' },
      subsample: { type: 'number', minimum: 0, maximum: 1 },
      colsample_bytree: { type: 'number', minimum: 0, maximum: 1 },
      min_child_weight: { ...nonNegative, description: 'Minimum hessian sum per child (rows, under squared error)' },
      min_data_in_leaf: { ...nonNegative, description: "LightGBM's name; the same as min_child_weight under squared error" },
      lambda: nonNegative,
      reg_lambda: nonNegative,
      alpha: nonNegative,
      reg_alpha: nonNegative,
      gamma: nonNegative,
      min_split_loss: nonNegative,
      base_score: { type: 'number' },
      max_bin: { type: 'integer', minimum: 2, maximum: 256 },
      early_stopping_rounds: { type: 'integer', minimum: 1 },
      seed: { type: 'integer' },
      nthread: { type: 'integer', minimum: 1, maximum: 64, description: 'Threads for each fit (worker_threads; default 1); the same trees up to float summation order' },
    },
    additionalProperties: false,
  };
}

export const trainingSpecs: ActivitySpec[] = [
  {
    name: 'training.train',
    description:
      'Purged walk-forward CV of gbdt / mlp / ensemble against naive baselines, a final fit on all rows, ' +
      'and a staging run folder with models, metrics.json, params and an HTML/PNG report.',
    input: {
      type: 'object',
      properties: {
        datasetFile: { type: 'string', format: 'path', description: 'Arrow IPC dataset from the features stage' },
        name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Registry name: <dataDir>/models/<name>/' },
        models: {
          type: 'array',
          items: { type: 'string', enum: ['gbdt', 'gbdt_leafwise', 'mlp', 'ensemble'] },
          minItems: 1,
          default: ['gbdt', 'mlp', 'ensemble'],
          description: 'gbdt = depth-wise trees (XGBoost style), gbdt_leafwise = leaf-wise trees (LightGBM style), mlp = the net, ensemble = their blend (trains gbdt and mlp too)',
        },
        gbdt: treeParams('Depth-wise trees, XGBoost parameters (tree_method hist)'),
        gbdt_leafwise: treeParams('Leaf-wise trees: grow_policy lossguide; defaults max_leaves 31, max_depth 0 (no limit), as LightGBM'),
        mlp: {
          type: 'object',
          properties: {
            hidden: { type: 'array', items: { type: 'integer', minimum: 1 }, description: 'Units per hidden layer' },
            activation: { type: 'string', enum: ['relu', 'tanh', 'elu', 'sigmoid', 'linear'] },
            dropout: { type: 'number', minimum: 0, maximum: 0.95 },
            epochs: { type: 'integer', minimum: 1 },
            batchSize: { type: 'integer', minimum: 1 },
            learningRate: { type: 'number', minimum: 0 },
            seed: { type: 'integer' },
            patience: { type: 'integer', minimum: 1, description: 'Early-stopping patience in epochs' },
            shuffle: { type: 'boolean', description: 'Seeded reshuffle of batches per epoch' },
          },
          additionalProperties: false,
        },
        cv: {
          type: 'object',
          properties: {
            folds: { type: 'integer', minimum: 1, default: 5 },
            purge: { ...duration, description: 'Gap before each test fold; the effective gap is max(label horizon, purge)' },
            embargo: { ...duration, description: 'Dropped from training after each earlier test fold' },
            validFraction: { type: 'number', minimum: 0.01, maximum: 0.49, default: 0.2, description: 'Chronological holdout of each training set for early stopping and ensemble weights' },
            minTrain: { type: 'integer', minimum: 1, default: 50 },
            minTest: { type: 'integer', minimum: 1, default: 20 },
          },
          additionalProperties: false,
        },
        report: {
          type: 'object',
          properties: { feePerSide: { type: 'number', minimum: 0, default: 0.001, description: 'Fee per side for the sign-strategy equity curve' } },
          additionalProperties: false,
        },
      },
      required: ['datasetFile', 'name'],
      additionalProperties: false,
    },
    outputs: ['runDir', 'runId', 'primary', 'leakSuspect', 'warnings', 'summary', 'text'],
  },
  {
    name: 'training.evaluate',
    description: "Applies the gate to a run's CV metrics; writes gate.json and the verdict into the report.",
    input: {
      type: 'object',
      properties: { runDir: { type: 'string', format: 'path' }, gate },
      required: ['runDir', 'gate'],
      additionalProperties: false,
    },
    outputs: ['passed', 'reason', 'model', 'summary'],
  },
  {
    name: 'models.publish',
    notCacheable: 'it switches latest and announces the version each time it runs',
    description: 'Versions a run (vNNNN); if its gate passed, switches latest atomically and XADDs model.published; prunes old versions.',
    input: {
      type: 'object',
      properties: {
        runDir: { type: 'string', format: 'path' },
        name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
        retention: {
          oneOf: [
            { type: 'integer', minimum: 1 },
            { type: 'object', properties: { keep: { type: 'integer', minimum: 1 } }, required: ['keep'], additionalProperties: false },
          ],
          description: 'Versions to keep (latest is never pruned); default 10',
        },
        stream: { type: 'string', default: 'model.published', description: 'Redis stream for the announcement' },
      },
      required: ['runDir', 'name'],
      additionalProperties: false,
    },
    outputs: ['version', 'versionDir', 'latest', 'published', 'reason', 'pruned', 'runId'],
  },
];
