// MLP hyperparameters (all from the pipeline YAML) and their defaults.
export type Activation = 'relu' | 'tanh' | 'elu' | 'sigmoid' | 'linear';

export interface MlpParams {
  hidden: number[];
  activation: Activation;
  dropout: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Epochs without validation improvement before stopping (needs a validation set). */
  patience: number;
  /** Seeded reshuffle of batches each epoch; false feeds rows in order. */
  shuffle: boolean;
}

export const DEFAULT_MLP_PARAMS: MlpParams = {
  hidden: [32, 16],
  activation: 'relu',
  dropout: 0.1,
  epochs: 30,
  batchSize: 256,
  learningRate: 1e-3,
  seed: 42,
  patience: 5,
  shuffle: true,
};

export function resolveMlpParams(p: Partial<MlpParams> = {}): MlpParams {
  const out = { ...DEFAULT_MLP_PARAMS, ...p };
  if (!Array.isArray(out.hidden) || out.hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new Error(`mlp.hidden must be positive integers, got ${JSON.stringify(out.hidden)}`);
  if (!(out.dropout >= 0 && out.dropout < 1)) throw new Error(`mlp.dropout must be in [0, 1), got ${out.dropout}`);
  return out;
}
