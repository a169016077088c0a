import os from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { localContext } from '../../activities/context';
import { loadConfig } from '../../config';
import { train } from '../../activities/training/train';
import { evaluate } from '../../activities/training/evaluate';
import { NonRetryableError } from '../../activities/errors';
import { klineDataset } from './support/kline-dataset';

const dataDir = path.join(os.tmpdir(), `trainflow-leak-${process.pid}`);
const config = { ...loadConfig(), dataDir };
const ctx = localContext({ quiet: true });

describe('leak flag and sample-count limits', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('flags CV R² > 0.9 from a feature equal to the label, and the gate refuses it', async () => {
    const ds = klineDataset({ rows: 1500, leak: true });
    const out = await train(
      { datasetFile: 'leaky', name: 'leaky', models: ['gbdt'], gbdt: { n_estimators: 80, max_depth: 3, eta: 0.3 }, cv: { folds: 3 } },
      ctx,
      { config, loadDataset: async () => ds },
    );
    expect(out.summary.gbdt.r2).toBeGreaterThan(0.9);
    expect(out.leakSuspect).toBe(true);
    expect(out.warnings.join('\n')).toMatch(/PROBABLE LEAK: gbdt has CV R² 0\.9\d+ > 0\.9/);
    expect(out.text).toMatch(/WARNING: PROBABLE LEAK/);
    const ev = await evaluate({ runDir: out.runDir, gate: { metric: 'mae', mustBeatBaseline: 'mean', byMargin: 0.01 } }, ctx, { config });
    expect(ev.passed).toBe(false);
    expect(ev.reason).toMatch(/no suspected leak/);
  }, 30_000);

  it('too few samples for the folds: a non-retryable error naming the counts, never a NaN metric', async () => {
    const ds = klineDataset({ rows: 100 });
    const p = train({ datasetFile: 'tiny', name: 'tiny', models: ['gbdt'], cv: { folds: 5 } }, ctx, { config, loadDataset: async () => ds });
    await expect(p).rejects.toBeInstanceOf(NonRetryableError);
    await expect(p).rejects.toMatchObject({ code: 'TooFewSamples', message: expect.stringMatching(/dataset has 100 samples, need at least 150/) });
  });

  it('bad hyperparameters are rejected before any training, as non-retryable input errors', async () => {
    const ds = klineDataset({ rows: 500 });
    const run = (extra: object) => train({ datasetFile: 'x', name: 'x', ...extra }, ctx, { config, loadDataset: async () => ds });
    await expect(run({ gbdt: { max_depth: -1 } })).rejects.toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/max_depth/) });
    await expect(run({ mlp: { dropout: 1.5 } })).rejects.toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/dropout/) });
    await expect(run({ models: ['gbdt', 'svm'] })).rejects.toMatchObject({ code: 'InvalidInput' });
  });

  it('a dataset without a label horizon and no cv.purge is rejected', async () => {
    const ds = klineDataset({ rows: 500 });
    ds.meta.label = undefined;
    await expect(train({ datasetFile: 'x', name: 'x', models: ['gbdt'] }, ctx, { config, loadDataset: async () => ds })).rejects.toMatchObject({ code: 'InvalidInput' });
  });
});
