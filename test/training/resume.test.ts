// A retried training attempt resumes the run of the failed one: same run folder, finished folds
// are not refitted, and the result equals an uninterrupted run.
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { localContext } from '../../activities/context';
import { loadConfig } from '../../config';
import { train } from '../../activities/training/train';
import { signalDataset } from './support/synthetic-dataset';

const dataDir = path.join(os.tmpdir(), `trainflow-resume-${process.pid}`);
const deps = { config: { ...loadConfig(), dataDir }, loadDataset: async () => signalDataset(1000, 3) };
const input = {
  datasetFile: 'btc',
  name: 'resume',
  gbdt: { n_estimators: 20, max_depth: 3 },
  mlp: { hidden: [8], epochs: 2, batchSize: 128 },
  cv: { folds: 3 },
};

describe('resume after a failed attempt', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('skips finished folds and reproduces the uninterrupted metrics', async () => {
    const first = localContext({
      quiet: true,
      onHeartbeat: (d) => {
        if ((d as { phase: string; fold: number }).phase === 'cv' && (d as { fold: number }).fold === 3) throw new Error('worker lost');
      },
    });
    await expect(train(input, first, deps)).rejects.toThrow('worker lost');
    const last = first.heartbeats.at(-1) as { runId: string };

    const second = localContext({ quiet: true, resume: last });
    const resumed = await train(input, second, deps);
    expect(resumed.runId).toBe(last.runId);
    const refit = second.heartbeats.filter((h: any) => h.phase === 'fit').map((h: any) => h.fold);
    expect(new Set(refit)).toEqual(new Set([3, 0])); // fold 3 and the final fit only

    const fresh = await train(input, localContext({ quiet: true }), deps);
    const a = JSON.parse(await readFile(path.join(resumed.runDir, 'metrics.json'), 'utf8'));
    const b = JSON.parse(await readFile(path.join(fresh.runDir, 'metrics.json'), 'utf8'));
    expect(a.models).toEqual(b.models);
  }, 40_000);
});
