// A trained MLP regressor: the tfjs network plus what it needs to be used on raw features
// (standardization of inputs and target), all of it saved in model.json's userDefinedMetadata.
import { tf, tfl } from './tf';
import type { MlpParams } from './params';
import { standardize, type Standardizer } from './scaler';

export interface EpochLog {
  epoch: number;
  loss: number;
  valLoss?: number;
}

export interface MlpMeta {
  format: 'trainflow.mlp/v1';
  nFeatures: number;
  featureNames?: string[];
  scaler: Standardizer;
  /** The net predicts (y − mean)/std. */
  target: { mean: number; std: number };
  params: MlpParams;
  history: EpochLog[];
  bestEpoch: number;
  backend: string;
}

const PREDICT_BATCH = 8192;

export class MlpModel {
  constructor(
    readonly net: tfl.LayersModel,
    readonly meta: MlpMeta,
  ) {}

  /** X row-major n × nFeatures, raw (unscaled) features. */
  predict(X: Float64Array): Float64Array {
    const nf = this.meta.nFeatures;
    const n = X.length / nf;
    if (!Number.isInteger(n)) throw new Error(`X length ${X.length} is not a multiple of ${nf} features`);
    const xs = standardize(X, this.meta.scaler);
    const out = new Float64Array(n);
    const { mean, std } = this.meta.target;
    for (let s = 0; s < n; s += PREDICT_BATCH) {
      const e = Math.min(n, s + PREDICT_BATCH);
      const part = tf.tidy(() => {
        const x = tf.tensor2d(xs.subarray(s * nf, e * nf), [e - s, nf]);
        // apply() runs the layers once on the whole chunk; predict() would re-slice it into its
        // default batches of 32, which is ~10× slower here.
        return (this.net.apply(x) as tf.Tensor).dataSync();
      });
      for (let i = 0; i < e - s; i++) out[s + i] = part[i] * std + mean;
    }
    return out;
  }

  dispose(): void {
    this.net.dispose();
  }
}
