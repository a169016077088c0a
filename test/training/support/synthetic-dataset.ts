// A dataset with a real, modest signal (y = a·x0 + noise, R² ≈ 0.3): a model should beat the
// naive baselines on it without anything looking like a leak.
import type { Dataset } from '../../../activities/features/dataset';
import { mulberry32 } from '../../../models/mlp/rng';

export function signalDataset(rows: number, seed = 1, nFeatures = 4): Dataset {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const names = Array.from({ length: nFeatures }, (_, f) => `x${f}`);
  const X = new Float64Array(rows * nFeatures);
  const y = new Float64Array(rows);
  const time = new Float64Array(rows);
  const t0 = Date.UTC(2024, 0, 1);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < nFeatures; f++) X[r * nFeatures + f] = normal();
    y[r] = 0.001 * (0.6 * X[r * nFeatures] + Math.max(0, X[r * nFeatures + 1]) * 0.3) + 0.001 * normal();
    time[r] = t0 + r * 60_000;
  }
  return {
    featureNames: names,
    X,
    y,
    time,
    symbol: new Array(rows).fill('SYNTH'),
    meta: { format: 'trainflow.dataset/v1', featureNames: names, interval: '1m', symbols: ['SYNTH'], rows, timeSpan: { from: time[0], to: time[rows - 1] }, label: { horizonMs: [60_000] } },
  };
}
