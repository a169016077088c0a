import { describe, expect, it } from 'vitest';
import { holdoutSplit, walkForwardSplits } from '../../models/evaluation/splitter';
import { NonRetryableError } from '../../activities/errors';
import { SplitError } from '../../models/evaluation/errors';
import { asActivityError } from '../../activities/training/model-errors';

const MIN = 60_000;
// 1000 one-minute bars, shuffled row order to prove the splitter sorts by time.
const n = 1000;
const time = new Float64Array(n);
for (let i = 0; i < n; i++) time[i] = 1_700_000_000_000 + ((i * 7919) % n) * MIN;

describe('walk-forward splitter', () => {
  const horizonMs = 15 * MIN;
  const embargoMs = 10 * MIN;
  const folds = walkForwardSplits(time, { folds: 4, horizonMs, purgeMs: 5 * MIN, embargoMs });

  it('is chronological: train before test, test folds ascending and disjoint', () => {
    expect(folds).toHaveLength(4);
    for (const f of folds) {
      const maxTrain = Math.max(...Array.from(f.train, (i) => time[i]));
      const minTest = Math.min(...Array.from(f.test, (i) => time[i]));
      expect(maxTrain).toBeLessThan(minTest);
      const testSet = new Set(f.test);
      for (const i of f.train) expect(testSet.has(i)).toBe(false);
    }
    for (let k = 1; k < folds.length; k++) expect(folds[k].testFrom).toBeGreaterThan(folds[k - 1].testTo);
    const allTest = folds.flatMap((f) => Array.from(f.test));
    expect(new Set(allTest).size).toBe(allTest.length);
    expect(allTest.length).toBe(4 * Math.floor(n / 5));
  });

  it('purges every training label window reaching the test fold (gap = max(horizon, purge))', () => {
    for (const f of folds) {
      for (const i of f.train) expect(time[i] + horizonMs).toBeLessThan(f.testFrom);
      // exactly 15 bars (the horizon) are purged before each test fold
      expect(f.purged).toBe(15);
    }
    const bigPurge = walkForwardSplits(time, { folds: 4, horizonMs, purgeMs: 30 * MIN });
    for (const f of bigPurge) {
      expect(f.purged).toBe(30);
      for (const i of f.train) expect(time[i] + 30 * MIN).toBeLessThan(f.testFrom);
    }
  });

  it('honors the embargo after each earlier test fold', () => {
    for (const f of folds) {
      for (const g of folds) {
        if (g.fold >= f.fold) continue;
        const endG = folds[g.fold].testFrom; // the earlier fold ends where the next starts
        for (const i of f.train) expect(time[i] >= endG && time[i] < endG + embargoMs).toBe(false);
      }
    }
    expect(folds.map((f) => f.embargoed)).toEqual([0, 0, 10, 20]);
  });

  it('gives a clear non-retryable error naming the counts when samples are too few', () => {
    const tiny = Float64Array.from([0, 1, 2].map((i) => i * MIN));
    let err: unknown;
    try {
      walkForwardSplits(tiny, { folds: 3, horizonMs: MIN });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SplitError);
    expect((err as SplitError).code).toBe('TooFewSamples');
    // the training activities map it to a non-retryable failure of the same type
    const mapped = asActivityError(err);
    expect(mapped).toBeInstanceOf(NonRetryableError);
    expect((mapped as NonRetryableError).code).toBe('TooFewSamples');
    expect((err as Error).message).toMatch(/dataset has 3 samples, need at least 110/);
    // enough in total but the purge eats the training set of the first fold
    expect(() => walkForwardSplits(time, { folds: 4, horizonMs: 200 * MIN })).toThrow(/fold 1\/4: 0 training/);
  });

  it('holdout keeps validation last and purges the gap before it', () => {
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const { fit, valid } = holdoutSplit(rows, time, 0.2, 5 * MIN);
    expect(valid.length).toBe(200);
    expect(fit.length).toBe(800 - 5);
    const vStart = Math.min(...Array.from(valid, (i) => time[i]));
    for (const i of fit) expect(time[i] + 5 * MIN).toBeLessThan(vStart);
  });
});
