// The training stage's input (from the pipeline YAML) with defaults applied.
import { InvalidInputError } from '../errors';
import { resolveMlpParams, type MlpParams } from '../../models/mlp';
import { resolveParams, type GbdtParams } from '../../models/gbdt';
import type { BaseModelName } from './learners';

export type ModelChoice = BaseModelName | 'ensemble';

export interface TrainInput {
  datasetFile: string;
  /** Registry name: models go under <dataDir>/models/<name>/. */
  name: string;
  models?: ModelChoice[];
  gbdt?: Record<string, unknown>;
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
  if (models.length === 0) throw new InvalidInputError('models must name at least one of gbdt, mlp, ensemble');
  for (const m of models) if (!['gbdt', 'mlp', 'ensemble'].includes(m)) throw new InvalidInputError(`unknown model '${m}' (gbdt, mlp, ensemble)`);
  const ensemble = models.includes('ensemble');
  // The ensemble is gbdt + mlp: asking for it trains both.
  const base: BaseModelName[] = ensemble ? ['gbdt', 'mlp'] : (models.filter((m) => m !== 'ensemble') as BaseModelName[]);
  const folds = input.cv?.folds ?? 5;
  const validFraction = input.cv?.validFraction ?? 0.2;
  if (!(validFraction > 0 && validFraction < 0.5)) throw new InvalidInputError(`cv.validFraction must be in (0, 0.5), got ${validFraction}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(input.name ?? '')) throw new InvalidInputError(`name '${input.name}' must be a simple folder name ([A-Za-z0-9._-])`);
  // Bad hyperparameters fail now, as non-retryable input errors, not after minutes of CV.
  try {
    if (base.includes('gbdt')) resolveParams((input.gbdt ?? {}) as GbdtParams);
    if (base.includes('mlp')) resolveMlpParams(input.mlp ?? {});
  } catch (err) {
    throw new InvalidInputError((err as Error).message);
  }
  return { base, ensemble, primary: ensemble ? 'ensemble' : base[0], folds, validFraction, feePerSide: input.report?.feePerSide ?? 0.001 };
}
