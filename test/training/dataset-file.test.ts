// training.train reading a real Arrow IPC dataset file written by the features stage's writer.
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { localContext } from '../../activities/context';
import { loadConfig } from '../../config';
import { writeDataset } from '../../activities/features/dataset';
import { train } from '../../activities/training/train';
import { klineDataset } from './support/kline-dataset';

const dataDir = path.join(os.tmpdir(), `trainflow-dsfile-${process.pid}`);

describe('dataset file input', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('trains from an Arrow dataset, taking the purge gap from its label horizon and recording its hash', async () => {
    const written = await writeDataset(dataDir, klineDataset({ symbol: 'ETHUSDT', rows: 1200, horizon: 15 }));
    const out = await train(
      { datasetFile: written.file, name: 'eth', models: ['gbdt'], gbdt: { n_estimators: 30, max_depth: 2 }, cv: { folds: 3, purge: '5m', embargo: 3 } },
      localContext({ quiet: true }),
      { config: { ...loadConfig(), dataDir } },
    );
    const m = JSON.parse(await readFile(path.join(out.runDir, 'metrics.json'), 'utf8'));
    expect(m.dataset.sha256).toBe(written.hash);
    expect(m.cv).toMatchObject({ horizonMs: 15 * 60_000, gapMs: 15 * 60_000, embargoMs: 3 * 60_000, barMs: 60_000 });
    expect(m.folds.every((f: { purged: number }) => f.purged === 15)).toBe(true);
    expect(m.dataset.symbols).toEqual(['ETHUSDT']);
  }, 30_000);
});
