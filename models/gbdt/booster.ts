import { binTrainingData, toRowSlots } from './binning';
import { GbdtModel, EvalHistory } from './model';
import { GbdtParams, resolveParams } from './params';
import { Random } from './random';
import { addTreeOutputs, Tree } from './tree';
import { LocalKernels, TreeBuilder, type TreeKernels } from './tree-builder';
import { ParallelKernels } from './parallel/parallel-kernels';
import { addTreeOutputsByBins } from './partition';
import { binTrainingDataOnThreads } from './parallel/parallel-binning';
import { sharedFloat64, sharedUint32 } from './parallel/protocol';
import { sharedWasmMemory, WasmKernels } from './wasm-kernels';
import { HISTS_PER_CHUNK } from './parallel/protocol';

export interface ValidationSet {
  X: Float64Array;
  y: Float64Array;
}

/** After each boosting round: its index and RMSE so far. */
export interface RoundLog {
  round: number;
  train: number;
  valid?: number;
}

export interface SyncTrainOptions {
  onRound?: (log: RoundLog) => void;
  /** Threads building histograms (1 = this thread alone). */
  threads?: number;
}

export interface AsyncTrainOptions {
  onRound?: (log: RoundLog) => void;
  signal?: AbortSignal;
  /** Longest stretch of rounds run without giving the event loop a turn (ms, default 50). */
  sliceMs?: number;
}

/**
 * Gradient boosting for reg:squarederror (g = ŷ − y, h = 1) with histogram trees.
 * X is row-major n × nFeatures; NaN means missing.
 */
export function trainGbdt(
  X: Float64Array,
  y: Float64Array,
  nFeatures: number,
  params: GbdtParams = {},
  valid?: ValidationSet,
  opts: SyncTrainOptions = {},
): GbdtModel {
  const rounds = boostRounds(X, y, nFeatures, params, valid, opts.threads ?? params.nthread ?? 1);
  try {
    for (;;) {
      const r = rounds.next();
      if (r.done) return r.value;
      opts.onRound?.(r.value);
    }
  } finally {
    rounds.return(undefined as never);
  }
}

/**
 * The same model as trainGbdt, but it yields the event loop between rounds, so a worker keeps
 * heartbeating and serving other tasks during a long fit, and it stops when `signal` aborts.
 */
export async function trainGbdtAsync(
  X: Float64Array,
  y: Float64Array,
  nFeatures: number,
  params: GbdtParams = {},
  valid?: ValidationSet,
  opts: AsyncTrainOptions = {},
): Promise<GbdtModel> {
  const rounds = boostRounds(X, y, nFeatures, params, valid, 1);
  let sliceStart = Date.now();
  for (;;) {
    const r = rounds.next();
    if (r.done) return r.value;
    opts.onRound?.(r.value);
    if (Date.now() - sliceStart >= (opts.sliceMs ?? 50)) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('gbdt training aborted');
      sliceStart = Date.now();
    }
  }
}

function* boostRounds(
  X: Float64Array,
  y: Float64Array,
  nFeatures: number,
  params: GbdtParams,
  valid: ValidationSet | undefined,
  threads: number,
): Generator<RoundLog, GbdtModel> {
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new Error(`threads must be an integer in 1..64, got ${threads}`);
  const p = resolveParams(params);
  const n = y.length;
  if (!Number.isInteger(nFeatures) || nFeatures < 1) throw new Error('nFeatures must be a positive integer');
  if (X.length !== n * nFeatures) throw new Error(`X has ${X.length} values, expected ${n} × ${nFeatures}`);
  if (n === 0) throw new Error('no training rows');
  if (valid && valid.X.length !== valid.y.length * nFeatures) throw new Error('validation X and y sizes disagree');
  if (p.early_stopping_rounds !== undefined && !valid) throw new Error('early_stopping_rounds needs a validation set');
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i])) throw new Error(`label ${i} is not finite`);

  // With helper threads, what they read lives in SharedArrayBuffers.
  const shared = threads > 1;
  const { layout, bins } = shared ? binTrainingDataOnThreads(X, n, nFeatures, p.max_bin, threads) : binTrainingData(X, n, nFeatures, p.max_bin);
  const rowSlots = toRowSlots(bins, n, layout);
  const rng = new Random(p.seed);

  // XGBoost keeps base_score as float32; start from the same value so the export predicts alike.
  const baseScore = Math.fround(p.base_score ?? mean(y));
  // On one thread the row buffer and gradients live in the wasm kernels' memory (wasm-kernels.ts);
  // on several threads, with the codes, slots and first histograms, in one shared wasm memory.
  const wasm = shared ? null : WasmKernels.create(bins, rowSlots, n, nFeatures, layout.totalSlots * 2);
  const sharedWasm = shared ? sharedWasmMemory(bins, rowSlots, n, layout.totalSlots * 2, HISTS_PER_CHUNK) : null;
  const pred = (shared ? sharedFloat64(n) : new Float64Array(n)).fill(baseScore);
  const grad = shared ? (sharedWasm ? sharedWasm.grad : sharedFloat64(n)) : wasm ? wasm.grad : new Float64Array(n);
  const hess = (shared ? (sharedWasm ? sharedWasm.hess : sharedFloat64(n)) : wasm ? wasm.hess : new Float64Array(n)).fill(1);
  const rows = shared ? (sharedWasm ? sharedWasm.rows : sharedUint32(n)) : wasm ? wasm.rows : new Uint32Array(n);
  const kernels: TreeKernels = shared
    ? new ParallelKernels(threads, nFeatures, n, layout, rowSlots, bins, rows, grad, hess, pred, y, sharedWasm)
    : new LocalKernels(nFeatures, rowSlots, layout.totalSlots, bins, n, wasm);
  try {
    const builder = new TreeBuilder(layout, bins, rowSlots, n, p, kernels);
    // Rows outside the subsample: their outputs come from their bins (addTreeOutputsByBins).
    const outOfSample = new Int32Array(p.subsample < 1 ? n : 0);
    let nOut = 0;
    const nValid = valid ? valid.y.length : 0;
    const validPred = new Float64Array(nValid).fill(baseScore);
    // float32 copy for tree traversal of the validation rows.
    const validX32 = valid ? Float32Array.from(valid.X) : null;

    const allFeatures = Int32Array.from({ length: nFeatures }, (_, i) => i);
    const nColumns = Math.max(1, Math.floor(p.colsample_bytree * nFeatures));
    const trees: Tree[] = [];
    const history: EvalHistory = { train: [], ...(valid ? { valid: [] } : {}) };
    let bestIteration = 0;
    let bestScore = Infinity;

    // One pass per round computes the gradients, the training RMSE of the round before and the
    // gradient sum (the root's, when the tree sees every row).
    let sumGrad = kernels.gradients(pred, y, grad).sumGrad;
    for (let t = 0; t < p.n_estimators; t++) {
      let count = n;
      if (p.subsample < 1) {
        count = 0;
        nOut = 0;
        for (let i = 0; i < n; i++) {
          if (rng.next() < p.subsample) rows[count++] = i;
          else outOfSample[nOut++] = i;
        }
      } else {
        for (let i = 0; i < n; i++) rows[i] = i;
      }
      const features = nColumns < nFeatures ? Int32Array.from(rng.sample(nFeatures, nColumns)) : allFeatures;

      // Squared error: hess ≡ 1 and the next gradient is grad + leaf value (see TreeBuilder.grow).
      const { tree, leaves, pairs, splitBins } = builder.grow(rows, count, grad, hess, features, true, p.subsample < 1 ? undefined : { grad: sumGrad, hess: n });
      trees.push(tree);
      kernels.addOutputs(pred, rows, leaves, pairs);
      if (nOut > 0) addTreeOutputsByBins(pred, outOfSample, nOut, bins, n, tree, splitBins, layout.nBins);
      const g = kernels.gradients(pred, y, grad);
      sumGrad = g.sumGrad;
      history.train.push(Math.sqrt(g.sse / n));
      if (valid) {
        addTreeOutputs(tree, validX32!, nValid, nFeatures, validPred, false);
        const score = rmse(validPred, valid.y);
        history.valid!.push(score);
        if (score < bestScore) {
          bestScore = score;
          bestIteration = t;
        }
      }
      yield { round: t, train: history.train[t], ...(valid ? { valid: history.valid![t] } : {}) };
      if (valid && p.early_stopping_rounds !== undefined && t - bestIteration >= p.early_stopping_rounds) break;
    }
    // Like XGBoost, best_iteration only limits prediction when early stopping was asked for.
    if (p.early_stopping_rounds === undefined) bestIteration = trees.length - 1;

    return new GbdtModel({
      nFeatures,
      baseScore,
      trees,
      bestIteration,
      bestScore: valid ? bestScore : undefined,
      evalHistory: history,
      params: p,
    });
  } finally {
    if (kernels instanceof ParallelKernels) kernels.close();
  }
}

function mean(y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return s / y.length;
}

export function rmse(pred: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const d = pred[i] - y[i];
    s += d * d;
  }
  return Math.sqrt(s / y.length);
}
