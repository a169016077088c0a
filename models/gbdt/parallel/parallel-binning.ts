// Binning on the helper threads: features are binned independently (binning.ts binFeatures), so
// each thread takes a contiguous range of them. X goes to the helpers as float32 values in a
// SharedArrayBuffer (binning only looks at fround(x)); each writes its columns of the shared codes
// and its cuts, then counts itself done. Same bins and cuts as binTrainingData.
import { binFeatures, binTrainingData, layoutOf, MAX_VALUE_BINS, type BinLayout } from '../binning';
import { helpers } from './parallel-kernels';

/** What a helper thread gets to bin features from..to. */
export interface BinJob {
  X: Float32Array;
  nRows: number;
  nFeatures: number;
  maxBin: number;
  from: number;
  to: number;
  /** Shared column-major codes, nRows × nFeatures. */
  bins: Uint8Array;
  /** Shared cuts: feature f's at [f·MAX_VALUE_BINS, … + nCuts[f]). */
  cuts: Float32Array;
  nCuts: Int32Array;
  /** [helpers done, helpers failed]. */
  done: Int32Array;
}

/** Runs a helper's share (on the helper thread). */
export function runBinJob(job: BinJob): void {
  try {
    const cuts = binFeatures(job.X, job.nRows, job.nFeatures, job.maxBin, job.from, job.to, job.bins);
    cuts.forEach((c, k) => {
      job.cuts.set(c, (job.from + k) * MAX_VALUE_BINS);
      job.nCuts[job.from + k] = c.length;
    });
  } catch {
    Atomics.add(job.done, 1, 1);
  } finally {
    Atomics.add(job.done, 0, 1);
    Atomics.notify(job.done, 0);
  }
}

/** binTrainingData on this thread and threads − 1 helpers; the codes are in a SharedArrayBuffer. */
export function binTrainingDataOnThreads(X: Float64Array, nRows: number, nFeatures: number, maxBin: number, threads: number): { layout: BinLayout; bins: Uint8Array } {
  const T = Math.min(threads, nFeatures);
  if (T <= 1) return binTrainingData(X, nRows, nFeatures, maxBin);
  const xs = new Float32Array(new SharedArrayBuffer(4 * X.length));
  xs.set(X);
  const bins = new Uint8Array(new SharedArrayBuffer(nRows * nFeatures));
  const sharedCuts = new Float32Array(new SharedArrayBuffer(4 * nFeatures * MAX_VALUE_BINS));
  const nCuts = new Int32Array(new SharedArrayBuffer(4 * nFeatures));
  const done = new Int32Array(new SharedArrayBuffer(8));
  const bound = (t: number) => Math.floor((nFeatures * t) / T);
  helpers(T - 1).forEach((w, k) => {
    const job: BinJob = { X: xs, nRows, nFeatures, maxBin, from: bound(k + 1), to: bound(k + 2), bins, cuts: sharedCuts, nCuts, done };
    w.postMessage({ bin: job });
  });
  const cuts = binFeatures(xs, nRows, nFeatures, maxBin, 0, bound(1), bins);
  // A helper that died would never count itself done: give up after far longer than binning takes
  // (≈ 0.04 µs a value here; 1 µs a value, at least a minute).
  const limitMs = Math.max(60_000, (nRows * nFeatures) / 1000);
  const started = Date.now();
  for (let d; (d = Atomics.load(done, 0)) < T - 1; ) {
    const left = limitMs - (Date.now() - started);
    if (left <= 0 || Atomics.wait(done, 0, d, left) === 'timed-out') {
      throw new Error(`gbdt helper threads did not finish binning (${Atomics.load(done, 0)} of ${T - 1} after ${Math.round(limitMs / 1000)} s)`);
    }
  }
  if (Atomics.load(done, 1) > 0) {
    // A helper failed and its error stayed on its thread: bin its features here (deterministic,
    // same codes), so that the error, if it was not a passing one, is thrown where it can be seen.
    cuts.push(...binFeatures(xs, nRows, nFeatures, maxBin, bound(1), nFeatures, bins));
    return { layout: layoutOf(cuts), bins };
  }
  for (let f = bound(1); f < nFeatures; f++) cuts.push(sharedCuts.slice(f * MAX_VALUE_BINS, f * MAX_VALUE_BINS + nCuts[f]));
  return { layout: layoutOf(cuts), bins };
}
