// The worker_threads build: histograms shared out to helper threads give the same trees as one
// thread (up to float summation order), for both growth policies, with row and column sampling,
// called directly or from the fit thread.
import { afterAll, describe, expect, it } from 'vitest';
import { closeFitThreads, trainGbdt, trainGbdtInWorker, type GbdtParams } from '../../models/gbdt';
import { binTrainingData } from '../../models/gbdt/binning';
import { binTrainingDataOnThreads } from '../../models/gbdt/parallel/parallel-binning';
import { closeHelperThreads } from '../../models/gbdt/parallel/parallel-kernels';
import { buildKlineDataset, splitChronological } from '../../bench/gbdt-dataset';
import { maxAbsDiff } from './synthetic';

const data = buildKlineDataset('BTCUSDT', 40_000);
const { train, test } = splitChronological(data, 0.8);
for (let i = 0; i < train.y.length; i += 17) train.X[i * data.nFeatures + (i % data.nFeatures)] = NaN;

const cases: Record<string, GbdtParams> = {
  'depthwise, all rows and features': { max_depth: 6, eta: 0.1, n_estimators: 25 },
  'depthwise, sampled': { max_depth: 5, eta: 0.1, n_estimators: 25, subsample: 0.7, colsample_bytree: 0.6, seed: 4 },
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

  it('rejects a bad thread count', () => {
    expect(() => trainGbdt(train.X, train.y, data.nFeatures, {}, undefined, { threads: 0 })).toThrow(/threads must be an integer in 1\.\.64/);
  });
});
