// Naive forecasts every model is compared against, on the same folds.
import { mean } from './metrics';

export const BASELINES = ['zero', 'mean'] as const;
export type BaselineName = (typeof BASELINES)[number];

/** 'zero': no move expected. 'mean': the training fold's mean return, for every test row. */
export function baselinePredictions(name: BaselineName, yTrain: ArrayLike<number>, nTest: number): Float64Array {
  const value = name === 'zero' ? 0 : mean(yTrain);
  return new Float64Array(nTest).fill(value);
}
