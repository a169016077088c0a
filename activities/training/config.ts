// The training stage's input (from the pipeline YAML) with defaults applied.
import { InvalidInputError } from '../errors';
import { resolveMlpParams, type MlpParams } from '../../models/mlp';
import { resolveParams } from '../../models/gbdt';
import { BASE_MODELS, isTreeModel, treeParams, type BaseModelName } from './learners';

export type ModelChoice = BaseModelName | 'ensemble';

export interface TrainInput {
  datasetFile: string;
  /** Registry name: models go under <dataDir>/models/<name>/. */
  name: string;
  models?: ModelChoice[];
  /** Depth-wise trees (XGBoost style). */
  gbdt?: Record<string, unknown>;
  /** Leaf-wise trees (LightGBM style: grow_policy lossguide, max_leaves). */
  gbdt_leafwise?: Record<string, unknown>;
  mlp?: Partial<MlpParams>;
  cv?: {
    folds?: number;
    /** Bars (number) or a duration ("30m"); the effective gap is max(label horizon, purge). */
    purge?: number | string;
    embargo?: number | string;
    /** Share of each training set held out (chronologically last) for early stopping and ensemble weights. */
    validFraction?: number;
    minTrain?: number;
    minTest?: number;
  };
  report?: { feePerSide?: number };
}

export interface ResolvedTraining {
  base: BaseModelName[];
  ensemble: boolean;
  /** The model the gate judges by default. */
  primary: string;
  folds: number;
  validFraction: number;
  feePerSide: number;
}

export function resolveTraining(input: TrainInput): ResolvedTraining {
  const models = input.models ?? ['gbdt', 'mlp', 'ensemble'];
  const known = [...BASE_MODELS, 'ensemble'];
  if (models.length === 0) throw new InvalidInputError(`models must name at least one of ${known.join(', ')}`);
  for (const m of models) if (!known.includes(m)) throw new InvalidInputError(`unknown model '${m}' (${known.join(', ')})`);
  const ensemble = models.includes('ensemble');
  // The ensemble blends gbdt, mlp and every other base model listed: asking for it trains gbdt and mlp.
  const listed = new Set<string>(models);
  if (ensemble) listed.add('gbdt').add('mlp');
  const base: BaseModelName[] = BASE_MODELS.filter((m) => listed.has(m));
  const folds = input.cv?.folds ?? 5;
  const validFraction = input.cv?.validFraction ?? 0.2;
  if (!(validFraction > 0 && validFraction < 0.5)) throw new InvalidInputError(`cv.validFraction must be in (0, 0.5), got ${validFraction}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(input.name ?? '')) throw new InvalidInputError(`name '${input.name}' must be a simple folder name ([A-Za-z0-9._-])`);
  // Bad hyperparameters fail now, as non-retryable input errors, not after minutes of CV.
  try {
    for (const m of base) if (isTreeModel(m)) resolveParams(treeParams(m, input[m]));
    if (base.includes('mlp')) resolveMlpParams(input.mlp ?? {});
  } catch (err) {
    throw new InvalidInputError((err as Error).message);
  }
  return { base, ensemble, primary: ensemble ? 'ensemble' : base[0], folds, validFraction, feePerSide: input.report?.feePerSide ?? 0.001 };
}
