// training.train → training.evaluate → models.publish against a real redis-server: the gate
// decides whether `latest` moves, the symlink switch is atomic, retention never prunes latest.
import { cp, lstat, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localContext } from '../../activities/context';
import { loadConfig } from '../../config';
import { createTrainingActivities } from '../../activities/training';
import type { Dataset } from '../../activities/features/dataset';
import { useRedis } from '../support/redis';
import { loadPublished } from '../../models/registry';
import { klineDataset } from './support/kline-dataset';
import { signalDataset } from './support/synthetic-dataset';

const redis = useRedis();
const dataDir = path.join(os.tmpdir(), `trainflow-registry-${process.pid}`);
const datasets: Record<string, Dataset> = {
  btc: klineDataset({ rows: 2500, horizon: 5 }),
  signal: signalDataset(2500),
};
const quick = {
  gbdt: { n_estimators: 60, max_depth: 3, eta: 0.1, early_stopping_rounds: 10 },
  mlp: { hidden: [16], epochs: 6, batchSize: 128, learningRate: 0.003 },
  cv: { folds: 3, embargo: 5 },
};
const STREAM = 'test.model.published';

function activities() {
  return createTrainingActivities({ redis: redis.client, config: { ...loadConfig(), dataDir }, loadDataset: async (f) => datasets[f] });
}

describe('train → evaluate → publish', () => {
  const root = path.join(dataDir, 'models', 'btc-1m');
  let honest: { runDir: string; text: string; summary: Record<string, { mae: number }> };
  const ctx = localContext({ quiet: true });

  beforeAll(async () => {
    honest = await activities()['training.train']({ datasetFile: 'btc', name: 'btc-1m', ...quick }, ctx);
  }, 60_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes a staging run with models, metrics, params, run info and a report', async () => {
    expect(honest.runDir.startsWith(path.join(root, 'staging'))).toBe(true);
    for (const f of ['metrics.json', 'params.json', 'run.json', 'models/gbdt/xgboost.json', 'models/gbdt/model.json', 'models/mlp/model.json', 'models/mlp/weights.bin', 'models/ensemble.json', 'report/report.html', 'report/summary.txt']) {
      expect(existsSync(path.join(honest.runDir, f)), f).toBe(true);
    }
    const pngs = (await readdir(path.join(honest.runDir, 'report'))).filter((f) => f.endsWith('.png'));
    expect(pngs.sort()).toEqual(['by-symbol.png', 'equity.png', 'folds-diracc.png', 'folds-mae-skill.png', 'folds-mae.png', 'folds-r2.png', 'importance.png', 'scatter.png']);
    for (const p of pngs) {
      const b = await readFile(path.join(honest.runDir, 'report', p));
      expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), p).toBe(true);
      expect(b.readUInt32BE(16)).toBeGreaterThan(100); // IHDR width
    }
    const html = await readFile(path.join(honest.runDir, 'report/report.html'), 'utf8');
    expect(html).toContain('<svg');
    const metricsText = await readFile(path.join(honest.runDir, 'metrics.json'), 'utf8');
    expect(metricsText).not.toMatch(/NaN|null,\s*"mae"/);
    const run = JSON.parse(await readFile(path.join(honest.runDir, 'run.json'), 'utf8'));
    expect(run.codeVersion).toMatch(/^(git|package):/);
    // heartbeats per fold and per epoch
    expect(ctx.heartbeats.some((h: any) => h.phase === 'cv' && h.fold === 3)).toBe(true);
    expect(ctx.heartbeats.some((h: any) => h.phase === 'epoch' && h.model === 'mlp')).toBe(true);
  });

  it('is honest on real 1m klines: out-of-sample R² near zero, baselines always reported', async () => {
    const m = JSON.parse(await readFile(path.join(honest.runDir, 'metrics.json'), 'utf8'));
    expect(Object.keys(m.models)).toEqual(expect.arrayContaining(['gbdt', 'mlp', 'ensemble', 'baseline:zero', 'baseline:mean']));
    for (const name of ['gbdt', 'mlp', 'ensemble']) expect(m.models[name].stats.r2.mean).toBeLessThan(0.1);
    expect(m.leakSuspect).toBe(false);
    // deployed models are refit on every row with the iteration counts early stopping chose
    expect(m.final.modelInfo.gbdt).toMatchObject({ rows: 2500, trees: m.final.modelInfo.gbdt.chosenBy.bestIteration + 1 });
    expect(m.final.modelInfo.mlp).toMatchObject({ rows: 2500, epochs: m.final.modelInfo.mlp.chosenBy.bestEpoch });
    expect(honest.text).toMatch(/3-fold walk-forward/);
    expect(honest.text).toMatch(/baseline:mean/);
  });

  it('a failing gate versions the run but leaves latest alone and announces nothing', async () => {
    const a = activities();
    const ev = await a['training.evaluate']({ runDir: honest.runDir, gate: { metric: 'mae', mustBeatBaseline: 'mean', byMargin: 0.2 } }, ctx);
    expect(ev.passed).toBe(false);
    expect(ev.reason).toMatch(/failed: mae beats mean baseline/);
    expect(ev.summary).toMatch(/gate \(ensemble\): FAILED/);
    const pub = await a['models.publish']({ runDir: honest.runDir, name: 'btc-1m', retention: 5, stream: STREAM }, ctx);
    expect(pub).toMatchObject({ version: 'v0001', published: false, latest: null });
    expect(existsSync(path.join(root, 'latest'))).toBe(false);
    expect(await redis.client.xlen(STREAM)).toBe(0);
    // a retry after the move finds the version again instead of failing or duplicating
    const again = await a['models.publish']({ runDir: honest.runDir, name: 'btc-1m', retention: 5, stream: STREAM }, ctx);
    expect(again.version).toBe('v0001');
  });

  it('a passing gate switches latest atomically (symlink) and XADDs model.published', async () => {
    const a = activities();
    const run = await a['training.train']({ datasetFile: 'signal', name: 'btc-1m', ...quick }, ctx);
    const ev = await a['training.evaluate']({ runDir: run.runDir, gate: { metric: 'mae', mustBeatBaseline: 'mean', byMargin: 0.01, minR2: 0.05 } }, ctx);
    expect(ev.passed, ev.reason).toBe(true);
    const pub = await a['models.publish']({ runDir: run.runDir, name: 'btc-1m', retention: 5, stream: STREAM }, ctx);
    expect(pub).toMatchObject({ version: 'v0002', published: true, latest: 'v0002' });
    const st = await lstat(path.join(root, 'latest'));
    expect(st.isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(root, 'latest'))).toBe('v0002'); // relative: the tree can move
    expect((await readdir(root)).filter((f) => f.startsWith('.latest'))).toEqual([]); // no temp link left
    const entries = await redis.client.xrange(STREAM, '-', '+');
    expect(entries).toHaveLength(1);
    const fields = Object.fromEntries(entries[0][1].reduce<string[][]>((acc, v, i) => (i % 2 ? acc[acc.length - 1].push(v) : acc.push([v]), acc), []));
    expect(fields).toMatchObject({ name: 'btc-1m', version: 'v0002', path: path.join(root, 'v0002'), model: 'ensemble' });
    expect(JSON.parse(fields.metrics).ensemble.mae).toBeGreaterThan(0);
    // what a consumer loads through latest
    const loaded = await loadPublished(dataDir, 'btc-1m');
    expect(loaded).toMatchObject({ version: 'v0002', primary: 'ensemble', featureNames: ['x0', 'x1', 'x2', 'x3'] });
    const X = datasets.signal.X.subarray(0, 400 * 4);
    const all = loaded.predictAll(X);
    expect(Object.keys(all).sort()).toEqual(['ensemble', 'gbdt', 'mlp']);
    expect(all.ensemble.every(Number.isFinite)).toBe(true);
    const yFirst = datasets.signal.y.subarray(0, 400);
    let corr = 0;
    for (let i = 0; i < 400; i++) corr += all.ensemble[i] * yFirst[i];
    expect(corr).toBeGreaterThan(0); // it learned the signal
    loaded.dispose();
    // retrying the publish neither moves nor re-announces
    await a['models.publish']({ runDir: run.runDir, name: 'btc-1m', retention: 5, stream: STREAM }, ctx);
    expect(await redis.client.xlen(STREAM)).toBe(1);
  }, 60_000);

  it('retention keeps the newest N and never prunes what latest points to', async () => {
    const a = activities();
    // Two more failing runs, cloned from v0001's files under fresh staging run ids.
    const template = path.join(dataDir, 'template-run');
    await cp(path.join(root, 'v0001'), template, { recursive: true });
    for (const id of ['r3', 'r4']) {
      const dir = path.join(root, 'staging', id);
      await mkdir(path.dirname(dir), { recursive: true });
      await cp(template, dir, { recursive: true });
      await writeFile(path.join(dir, 'run.json'), JSON.stringify({ runId: id, codeVersion: 'test', datasetSha256: 'x' }));
      const pub = await a['models.publish']({ runDir: dir, name: 'btc-1m', retention: 1, stream: STREAM }, ctx);
      expect(pub.published).toBe(false);
      expect(pub.latest).toBe('v0002');
    }
    const versions = (await readdir(root)).filter((f) => /^v\d+$/.test(f)).sort();
    expect(versions).toEqual(['v0002', 'v0004']); // v0004 newest, v0002 is latest; v0001 and v0003 pruned
    expect(await readlink(path.join(root, 'latest'))).toBe('v0002');
  });

  it('refuses to publish a run that was never evaluated', async () => {
    const dir = path.join(root, 'staging', 'unevaluated');
    await mkdir(dir, { recursive: true });
    await expect(activities()['models.publish']({ runDir: dir, name: 'btc-1m' }, ctx)).rejects.toMatchObject({ code: 'GateNotEvaluated' });
    // only staging runs of that name can be versioned (never some other folder, never ../)
    await expect(activities()['models.publish']({ runDir: os.tmpdir(), name: 'btc-1m' }, ctx)).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(activities()['models.publish']({ runDir: dir, name: '../x' }, ctx)).rejects.toMatchObject({ code: 'InvalidInput' });
    // re-publishing an existing version keeps its number
    const again = await activities()['models.publish']({ runDir: path.join(root, 'v0002'), name: 'btc-1m', stream: STREAM }, ctx);
    expect(again).toMatchObject({ version: 'v0002', latest: 'v0002' });
    expect(await redis.client.xlen(STREAM)).toBe(1);
  });
});
