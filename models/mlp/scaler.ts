// Per-feature standardization, fitted on the training fold only and stored with the model.
export interface Standardizer {
  mean: number[];
  std: number[];
}

export function fitStandardizer(X: Float64Array, nFeatures: number): Standardizer {
  const n = X.length / nFeatures;
  const mean = new Array<number>(nFeatures).fill(0);
  const m2 = new Array<number>(nFeatures).fill(0);
  for (let r = 0; r < n; r++) for (let f = 0; f < nFeatures; f++) mean[f] += X[r * nFeatures + f];
  for (let f = 0; f < nFeatures; f++) mean[f] /= n;
  for (let r = 0; r < n; r++) for (let f = 0; f < nFeatures; f++) m2[f] += (X[r * nFeatures + f] - mean[f]) ** 2;
  // A constant feature would divide by 0: scale 1 leaves it centred at 0.
  const std = m2.map((s) => Math.sqrt(s / n) || 1);
  return { mean, std };
}

export function standardize(X: Float64Array, s: Standardizer): Float32Array {
  const nf = s.mean.length;
  const out = new Float32Array(X.length);
  for (let i = 0; i < X.length; i++) {
    const f = i % nf;
    out[i] = (X[i] - s.mean[f]) / s.std[f];
  }
  return out;
}
