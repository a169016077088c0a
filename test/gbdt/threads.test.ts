// The worker_threads build: histograms shared out to helper threads give the same trees as one
// thread (up to float summation order), for both growth policies, with row and column sampling,
// called directly or from the fit thread.
import { afterAll, describe, expect, it } from 'vitest';
import { closeFitThreads, trainGbdt, trainGbdtInWorker, type GbdtParams } from '../../models/gbdt';
import { binTrainingData } from '../../models/gbdt/binning';
import { binTrainingDataOnThreads } from '../../models/gbdt/parallel/parallel-binning';
import { closeHelperThreads, ParallelKernels } from '../../models/gbdt/parallel/parallel-kernels';
import { layoutOf } from '../../models/gbdt/binning';
import { LocalKernels } from '../../models/gbdt/tree-builder';
import type { SplitTask } from '../../models/gbdt/split-finder';
import { sharedFloat64, sharedUint32 } from '../../models/gbdt/parallel/protocol';
import { buildKlineDataset, splitChronological } from '../../bench/gbdt-dataset';
import { maxAbsDiff } from './synthetic';

const data = buildKlineDataset('BTCUSDT', 40_000);
const { train, test } = splitChronological(data, 0.8);
for (let i = 0; i < train.y.length; i += 17) train.X[i * data.nFeatures + (i % data.nFeatures)] = NaN;

const cases: Record<string, GbdtParams> = {
  'depthwise, all rows and features': { max_depth: 6, eta: 0.1, n_estimators: 25 },
  'depthwise, sampled': { max_depth: 5, eta: 0.1, n_estimators: 25, subsample: 0.7, colsample_bytree: 0.6, seed: 4 },
  // Small histograms: the next root is summed from the leaves on this thread, into a recycled histogram.
  'depthwise, 8 bins': { max_depth: 3, max_bin: 8, eta: 0.1, n_estimators: 10 },
  'lossguide, 31 leaves': { grow_policy: 'lossguide', max_leaves: 31, max_depth: 0, eta: 0.1, n_estimators: 25, min_child_weight: 5 },
};

describe('GBDT on several threads', () => {
  afterAll(async () => {
    await closeHelperThreads();
    await closeFitThreads();
  });

  for (const [name, params] of Object.entries(cases)) {
    it(`builds the single-thread model: ${name}`, () => {
      const one = trainGbdt(train.X, train.y, data.nFeatures, params);
      const expected = one.predict(test.X);
      for (const threads of [2, 3]) {
        const many = trainGbdt(train.X, train.y, data.nFeatures, params, undefined, { threads });
        expect(many.trees.map((t) => Array.from(t.feature))).toEqual(one.trees.map((t) => Array.from(t.feature)));
        expect(maxAbsDiff(many.predict(test.X), expected)).toBeLessThan(1e-6);
      }
    });
  }

  it('runs threaded inside the fit thread too, with early stopping', async () => {
    const valid = { X: test.X, y: test.y };
    const params = { max_depth: 4, eta: 0.1, n_estimators: 200, early_stopping_rounds: 5 };
    const one = trainGbdt(train.X, train.y, data.nFeatures, params, valid);
    const rounds: number[] = [];
    const many = await trainGbdtInWorker(train.X, train.y, data.nFeatures, params, valid, { threads: 2, onRound: (r) => rounds.push(r.round) });
    expect(many.bestIteration).toBe(one.bestIteration);
    expect(rounds.length).toBe(one.trees.length);
    expect(maxAbsDiff(many.predict(test.X), one.predict(test.X))).toBeLessThan(1e-6);
  });

  it('bins on helper threads exactly as on one thread: same cuts and codes, each thread its range of features', () => {
    const nRows = train.y.length;
    // Special values in one column: missing, ±0, ±Infinity, a subnormal.
    const X = train.X.slice();
    const specials = [NaN, -0, 0, Infinity, -Infinity, 1e-40];
    for (let i = 0; i < nRows; i += 5) X[i * data.nFeatures + 2] = specials[(i / 5) % specials.length];
    for (const maxBin of [256, 16]) {
      const one = binTrainingData(X, nRows, data.nFeatures, maxBin);
      for (const threads of [2, 3, 5]) {
        const many = binTrainingDataOnThreads(X, nRows, data.nFeatures, maxBin, threads);
        expect(many.bins.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(Buffer.from(many.bins).equals(Buffer.from(one.bins)), `bins, ${threads} threads, max_bin ${maxBin}`).toBe(true);
        expect(many.layout.cuts.map((c) => Array.from(c))).toEqual(one.layout.cuts.map((c) => Array.from(c)));
        expect(Array.from(many.layout.offsets)).toEqual(Array.from(one.layout.offsets));
      }
    }
  });

  it('shares out subtractions and split searches: the same histograms and splits as one thread, also after a batch that leaves a thread idle', () => {
    const nBins = [7, 5, 9, 3];
    const layout = layoutOf(nBins.map((b) => new Float32Array(b - 1)));
    const nRows = 16;
    const reg = { lambda: 1, alpha: 0, min_child_weight: 1 };
    const local = new LocalKernels(nBins.length, new Uint16Array(nRows * nBins.length), layout.totalSlots, new Uint8Array(nRows * nBins.length), nRows);
    for (const threads of [2, 3]) {
      const kernels = new ParallelKernels(
        threads, nBins.length, nRows, layout, new Uint16Array(nRows * nBins.length), new Uint8Array(nRows * nBins.length),
        sharedUint32(nRows), sharedFloat64(nRows), sharedFloat64(nRows), sharedFloat64(nRows), new Float64Array(nRows),
      );
      try {
        let seed = 3;
        const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
        // A node's histogram: integer counts in H (as with unit hessians), G of either sign.
        const fill = (h: Float64Array, scale: number) => {
          for (let s = 0; s < layout.totalSlots; s++) {
            const count = Math.floor(rnd() * 6 * scale);
            h[2 * s] = count * (rnd() - 0.45);
            h[2 * s + 1] = count;
          }
        };
        const total = (h: Float64Array, k: number) => {
          let t = 0;
          for (let s = 0; s < nBins[0] + 1; s++) t += h[2 * s + k];
          return t;
        };
        const run = (searchFlags: boolean[][], features: Int32Array) => {
          // Per pair: a parent (3× the rows) and its built child; tasks: the child, then parent − child.
          const tasks: SplitTask[] = [];
          const copies: SplitTask[] = [];
          for (const [searchSmall, searchBig] of searchFlags) {
            const parent = kernels.acquire();
            const child = kernels.acquire();
            fill(child, 1);
            fill(parent, 3);
            for (let i = 0; i < parent.length; i++) parent[i] += child[i];
            const parentCopy = parent.slice();
            const childCopy = child.slice();
            const g = total(child, 0), h = total(child, 1), G = total(parent, 0), H = total(parent, 1);
            tasks.push({ hist: child, subtract: null, search: searchSmall, sumGrad: g, sumHess: h });
            tasks.push({ hist: parent, subtract: child, search: searchBig, sumGrad: G - g, sumHess: H - h });
            copies.push({ hist: childCopy, subtract: null, search: searchSmall, sumGrad: g, sumHess: h });
            copies.push({ hist: parentCopy, subtract: childCopy, search: searchBig, sumGrad: G - g, sumHess: H - h });
          }
          const got = kernels.splits(tasks, features, layout, reg);
          const want = local.splits(copies, features, layout, reg);
          expect(got).toEqual(want);
          expect(want.some((s) => s !== null)).toBe(true);
          tasks.forEach((t, k) => expect(Array.from(t.hist), `histogram of task ${k}`).toEqual(Array.from(copies[k].hist)));
          for (const t of tasks) kernels.release(t.hist);
        };
        const all = Int32Array.from([0, 1, 2, 3]);
        run([[true, true], [true, false], [false, true], [true, true], [false, false], [true, true]], all);
        run([[true, true], [false, true]], Int32Array.from([1, 3]));
        // One item only (a small child that is not searched): the other threads' lists are empty.
        run([[false, true]], all);
        run([[false, true], [false, false]], all);
      } finally {
        kernels.close();
      }
    }
  });

  it('rejects a bad thread count', () => {
    expect(() => trainGbdt(train.X, train.y, data.nFeatures, {}, undefined, { threads: 0 })).toThrow(/threads must be an integer in 1\.\.64/);
  });
});
