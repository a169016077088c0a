// Blends base-model forecasts with non-negative weights summing to 1, chosen by minimising MSE
// on validation predictions (an inner holdout of the training data). The caller must never pass
// test-fold predictions here: weights fitted on test data would make the CV score a lie.

export interface EnsembleWeights {
  models: string[];
  weights: number[];
  /** Validation MSE of the chosen blend. */
  validMse: number;
}

export function blend(preds: Float64Array[], weights: number[]): Float64Array {
  if (preds.length !== weights.length) throw new Error(`blend: ${preds.length} forecasts, ${weights.length} weights`);
  const n = preds[0]?.length ?? 0;
  const out = new Float64Array(n);
  preds.forEach((p, k) => {
    for (let i = 0; i < n; i++) out[i] += weights[k] * p[i];
  });
  return out;
}

function mse(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - p[i]) ** 2;
  return s / y.length;
}

/** Every point of the simplex grid with the given resolution (k models, steps per unit). */
function* simplexGrid(k: number, steps: number): Generator<number[]> {
  if (k === 1) {
    yield [1];
    return;
  }
  for (let i = 0; i <= steps; i++) for (const rest of simplexGrid(k - 1, steps - i)) yield [i / (steps || 1), ...rest.map((r) => (r * (steps - i)) / (steps || 1))];
}

/** Grid search over the weight simplex (resolution 1/steps); ties keep the earliest point. */
export function fitEnsembleWeights(models: string[], validPreds: Float64Array[], yValid: ArrayLike<number>, steps = 100): EnsembleWeights {
  if (models.length === 0 || models.length !== validPreds.length) throw new Error('fitEnsembleWeights: need one validation forecast per model');
  if (yValid.length === 0) throw new Error('fitEnsembleWeights: empty validation set');
  // Finer than 1/20 is pointless noise-fitting for 3+ models and the grid grows fast.
  const resolution = models.length <= 2 ? steps : Math.min(steps, 20);
  let best: EnsembleWeights = { models, weights: [], validMse: Infinity };
  for (const w of simplexGrid(models.length, resolution)) {
    const e = mse(yValid, blend(validPreds, w));
    if (e < best.validMse) best = { models, weights: w, validMse: e };
  }
  return best;
}
