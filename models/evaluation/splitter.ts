// Walk-forward (expanding-window) time-series CV with purging and an embargo.
// The sorted timeline is cut into K+1 blocks: the first block is only ever training data, blocks
// 1..K are the test folds. Fold k trains on everything before its test block, minus
//  - purge: samples whose label window [t, t + gap] reaches into the test block, where
//    gap = max(label horizon, requested purge) — their labels are made of test-period prices;
//  - embargo: samples in [end_j, end_j + embargo) after every earlier test fold j, a buffer
//    against serial correlation between a test period and what immediately follows it.
// Boundaries are time values, so rows sharing a timestamp (several symbols) never straddle folds.
import { SplitError } from './errors';

export interface SplitOptions {
  folds: number;
  /** Label horizon (ms): how far into the future a sample's label looks. */
  horizonMs: number;
  /** Extra purge requested (ms); the effective gap is max(horizonMs, purgeMs). */
  purgeMs?: number;
  embargoMs?: number;
  /** Smallest usable training set per fold (after purge/embargo). */
  minTrain?: number;
  /** Smallest usable test fold. */
  minTest?: number;
}

export interface Fold {
  fold: number;
  /** Row indices into the dataset, in chronological order. */
  train: Int32Array;
  test: Int32Array;
  /** Test block time range: [testFrom, testTo]. */
  testFrom: number;
  testTo: number;
  purged: number;
  embargoed: number;
}

export const DEFAULT_MIN_TRAIN = 50;
export const DEFAULT_MIN_TEST = 20;

export function chronologicalOrder(time: ArrayLike<number>): Int32Array {
  const idx = Array.from({ length: time.length }, (_, i) => i);
  idx.sort((a, b) => time[a] - time[b] || a - b);
  return Int32Array.from(idx);
}

export function walkForwardSplits(time: ArrayLike<number>, opts: SplitOptions): Fold[] {
  const { folds: k } = opts;
  const n = time.length;
  const minTrain = opts.minTrain ?? DEFAULT_MIN_TRAIN;
  const minTest = opts.minTest ?? DEFAULT_MIN_TEST;
  const gap = Math.max(opts.horizonMs, opts.purgeMs ?? 0);
  const embargo = opts.embargoMs ?? 0;
  if (!Number.isInteger(k) || k < 1) throw new SplitError(`cv.folds must be a positive integer, got ${k}`, 'InvalidInput');
  const needAtLeast = minTrain + k * minTest;
  if (n < needAtLeast) {
    throw new SplitError(
      `too few samples for ${k} folds: dataset has ${n} samples, need at least ${needAtLeast} ` +
        `(${minTrain} training + ${k} × ${minTest} test, before purge/embargo)`,
      'TooFewSamples',
      { samples: n, folds: k, minTrain, minTest },
    );
  }
  const order = chronologicalOrder(time);
  const block = Math.floor(n / (k + 1));
  // starts[j] = first time of test fold j; starts[k] = +∞ closes the last fold.
  const starts: number[] = [];
  for (let j = 0; j < k; j++) starts.push(time[order[n - (k - j) * block]]);
  starts.push(Infinity);

  const out: Fold[] = [];
  for (let j = 0; j < k; j++) {
    const train: number[] = [];
    const test: number[] = [];
    let purged = 0;
    let embargoed = 0;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      const t = time[i];
      if (t >= starts[j] && t < starts[j + 1]) {
        test.push(i);
        continue;
      }
      if (t >= starts[j]) break;
      if (t + gap >= starts[j]) {
        purged++;
        continue;
      }
      let inEmbargo = false;
      for (let e = 0; e < j && !inEmbargo; e++) inEmbargo = t >= starts[e + 1] && t < starts[e + 1] + embargo;
      if (inEmbargo) {
        embargoed++;
        continue;
      }
      train.push(i);
    }
    if (train.length < minTrain || test.length < minTest) {
      throw new SplitError(
        `too few samples in fold ${j + 1}/${k}: ${train.length} training (need ${minTrain}) and ` +
          `${test.length} test (need ${minTest}) of ${n} samples after purging ${purged} ` +
          `(gap ${gap} ms) and embargoing ${embargoed}`,
        'TooFewSamples',
        { samples: n, fold: j + 1, train: train.length, test: test.length, purged, embargoed },
      );
    }
    out.push({
      fold: j + 1,
      train: Int32Array.from(train),
      test: Int32Array.from(test),
      testFrom: time[test[0]],
      testTo: time[test[test.length - 1]],
      purged,
      embargoed,
    });
  }
  return out;
}

/** Chronological holdout inside a training set (early stopping, ensemble weights): the last
 * `fraction` of it becomes validation; training rows whose label window reaches it are purged. */
export function holdoutSplit(
  rows: Int32Array,
  time: ArrayLike<number>,
  fraction: number,
  gapMs: number,
): { fit: Int32Array; valid: Int32Array } {
  const sorted = Int32Array.from(rows).sort((a, b) => time[a] - time[b] || a - b);
  const nValid = Math.max(1, Math.floor(sorted.length * fraction));
  const validStart = time[sorted[sorted.length - nValid]];
  const fit: number[] = [];
  const valid: number[] = [];
  for (const i of sorted) {
    if (time[i] >= validStart) valid.push(i);
    else if (time[i] + gapMs < validStart) fit.push(i);
  }
  return { fit: Int32Array.from(fit), valid: Int32Array.from(valid) };
}
