// Trains the MLP with an explicit loop rather than model.fit: fit() shuffles with Math.random and
// its Dropout layer reuses one mask when seeded, so neither is reproducible. Here batches follow a
// seeded permutation and dropout masks get a fresh seed per (epoch, batch, layer). The saved net
// holds only Dense layers; dropout is the identity at inference.
import { tf, tfl } from './tf';
import { mulberry32, seededPermutation } from './rng';
import { resolveMlpParams, type MlpParams } from './params';
import { fitStandardizer, standardize } from './scaler';
import { MlpModel, type EpochLog, type MlpMeta } from './model';

export interface TrainMlpOptions {
  featureNames?: string[];
  onEpoch?: (log: EpochLog) => void;
  signal?: AbortSignal;
}

export function buildNet(nFeatures: number, p: MlpParams): tfl.Sequential {
  const net = tfl.sequential();
  p.hidden.forEach((units, i) => {
    net.add(
      tfl.layers.dense({
        units,
        activation: p.activation,
        inputShape: i === 0 ? [nFeatures] : undefined,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: p.seed + i }),
        biasInitializer: 'zeros',
      }),
    );
  });
  net.add(
    tfl.layers.dense({
      units: 1,
      inputShape: p.hidden.length === 0 ? [nFeatures] : undefined,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: p.seed + p.hidden.length }),
    }),
  );
  return net;
}

export async function trainMlp(
  X: Float64Array,
  y: Float64Array,
  nFeatures: number,
  params: Partial<MlpParams> = {},
  valid?: { X: Float64Array; y: Float64Array },
  opts: TrainMlpOptions = {},
): Promise<MlpModel> {
  const p = resolveMlpParams(params);
  const n = y.length;
  if (X.length !== n * nFeatures) throw new Error(`X has ${X.length} values, expected ${n}×${nFeatures}`);
  if (n === 0) throw new Error('trainMlp: no training rows');
  const scaler = fitStandardizer(X, nFeatures);
  let ym = 0;
  for (let i = 0; i < n; i++) ym += y[i];
  ym /= n;
  let yv = 0;
  for (let i = 0; i < n; i++) yv += (y[i] - ym) ** 2;
  const target = { mean: ym, std: Math.sqrt(yv / n) || 1 };
  const scaleY = (v: Float64Array) => Float32Array.from(v, (t) => (t - target.mean) / target.std);

  const net = buildNet(nFeatures, p);
  const optimizer = tf.train.adam(p.learningRate);
  const xs = tf.tensor2d(standardize(X, scaler), [n, nFeatures]);
  const ys = tf.tensor2d(scaleY(y), [n, 1]);
  const vx = valid && valid.y.length > 0 ? tf.tensor2d(standardize(valid.X, scaler), [valid.y.length, nFeatures]) : undefined;
  const vy = vx && valid ? tf.tensor2d(scaleY(valid.y), [valid.y.length, 1]) : undefined;
  const dense = net.layers;
  const rand = mulberry32(p.seed);

  const forward = (x: tf.Tensor, step: number): tf.Tensor => {
    let h = x;
    dense.forEach((layer, i) => {
      h = layer.apply(h) as tf.Tensor;
      if (p.dropout > 0 && i < dense.length - 1) h = tf.dropout(h, p.dropout, undefined, (p.seed * 7919 + step * 31 + i) >>> 0);
    });
    return h;
  };
  const evalLoss = (x: tf.Tensor, t: tf.Tensor): number =>
    tf.tidy(() => tf.losses.meanSquaredError(t, net.apply(x) as tf.Tensor).dataSync()[0]);

  const history: EpochLog[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | undefined;
  let step = 0;
  try {
    for (let epoch = 1; epoch <= p.epochs; epoch++) {
      if (opts.signal?.aborted) throw new Error('training cancelled');
      const order = p.shuffle ? seededPermutation(n, rand) : Int32Array.from({ length: n }, (_, i) => i);
      let lossSum = 0;
      let batches = 0;
      for (let s = 0; s < n; s += p.batchSize) {
        const idx = order.subarray(s, Math.min(n, s + p.batchSize));
        const thisStep = step;
        const cost = tf.tidy(() => {
          const ix = tf.tensor1d(idx, 'int32');
          const xb = tf.gather(xs, ix);
          const yb = tf.gather(ys, ix);
          return optimizer.minimize(() => tf.losses.meanSquaredError(yb, forward(xb, thisStep)) as tf.Scalar, true) as tf.Scalar;
        });
        step++;
        lossSum += cost.dataSync()[0];
        cost.dispose();
        batches++;
      }
      const log: EpochLog = { epoch, loss: lossSum / batches };
      if (vx && vy) {
        log.valLoss = evalLoss(vx, vy);
        if (log.valLoss < best) {
          best = log.valLoss;
          bestEpoch = epoch;
          bestWeights?.forEach((w) => w.dispose());
          bestWeights = net.getWeights().map((w) => w.clone());
        }
      } else {
        bestEpoch = epoch;
      }
      history.push(log);
      opts.onEpoch?.(log);
      if (vx && epoch - bestEpoch >= p.patience) break;
      // Yield to the event loop so heartbeats and cancellation get through.
      await new Promise((r) => setImmediate(r));
    }
    if (bestWeights) net.setWeights(bestWeights);
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    tf.dispose([xs, ys, ...(vx ? [vx] : []), ...(vy ? [vy] : [])]);
    optimizer.dispose();
  }
  const meta: MlpMeta = {
    format: 'trainflow.mlp/v1',
    nFeatures,
    featureNames: opts.featureNames,
    scaler,
    target,
    params: p,
    history,
    bestEpoch,
    backend: tf.getBackend(),
  };
  return new MlpModel(net, meta);
}
