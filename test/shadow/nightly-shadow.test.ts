// pipelines/nightly-shadow.yaml on the real stack (Temporal dev server, a worker, Redis, the local
// Binance-compatible server with the shipped klines): a trade-pnl model is trained and published
// by a pipeline on the closed trades of 2023-04-02..20 (BTC, ETH), then
//  - its schedule, backfilled over three past nights, scores each day's real closed trades and
//    appends one entry per day to the registry, shown in the version's report;
//  - a scored trade's features equal the training dataset's features at the same instant;
//  - a day whose outcomes run against every forecast raises model.drift and fails the next
//    publish's gate; a day whose outcomes follow the forecasts raises nothing and the next
//    publish goes live.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { completedRuns } from '../support/runs';
import { compileYaml } from '../support/pipelines';
import { openHeadless } from '../support/chromium';
import { paths } from '../../stack/tools';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import { startRun } from '../../cli/run';
import { deleteSchedule, scheduleId, upsertSchedule } from '../../cli/schedule';
import { importTrades, readValidTrades } from '../../activities/trades/import';
import { SIMULATED_FILE } from '../../activities/trades/simulated-file';
import { readDataset } from '../../activities/features/dataset';
import { fieldsToObject } from '../../activities/trades/trade';
import { modelRoot, readLatest } from '../../models/registry';
import { activeDriftAlarm, readShadowDay, readShadowSeries } from '../../models/registry/shadow';
import type { EvaluateDayOutput } from '../../activities/shadow';
import type { RunState } from '../../workflows/run-state';

let server: BinanceServer;
beforeAll(async () => {
  server = await startBinanceServer({});
});
afterAll(() => server?.close());
const dir = path.join(paths.var, 'test', `pipelines-${randomUUID().slice(0, 8)}`);
const stack = useStack(() => ({ binanceBaseUrl: server.url, pipelinesDir: dir }));

const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
const trainYaml = `
name: shadow-train
params:
  name: { type: string }
stages:
  labels:
    uses: labels.build
    with: { symbols: ${JSON.stringify(SYMBOLS)}, interval: 1m, from: "2023-04-02", to: "2023-04-21", kind: trades }
  features:
    uses: features.build
    needs: labels
    with:
      samplesFile: "\${{ stages.labels.outputs.samplesFile }}"
      interval: 1m
      backfillMissing: true
      features:
        rsi: { period: 14 }
        macd: { fast: 12, slow: 26, signal: 9, relative: true }
        bollinger: { period: 20, stdDev: 2 }
        volatility: { period: 20 }
        atr: { period: 14, relative: true }
        returns: { periods: [1, 5, 15, 60] }
        volumeZ: { period: 20 }
        calendar: true
  train:
    uses: training.train
    needs: features
    with:
      datasetFile: "\${{ stages.features.outputs.datasetFile }}"
      name: "\${{ params.name }}"
      models: [gbdt]
      gbdt: { n_estimators: 60, max_depth: 3, eta: 0.05, subsample: 0.8, min_child_weight: 5, lambda: 5, early_stopping_rounds: 15, seed: 7 }
      cv: { folds: 3, minTrain: 40, minTest: 20 }
  evaluate:
    uses: training.evaluate
    needs: train
    with: { runDir: "\${{ stages.train.outputs.runDir }}", gate: { metric: mae, mustBeatBaseline: none } }
  publish:
    uses: models.publish
    needs: evaluate
    with: { runDir: "\${{ stages.train.outputs.runDir }}", name: "\${{ params.name }}" }
`;

type Out = Record<string, any>;

async function runToEnd(yaml: string, params: Record<string, unknown>, logicalDate?: string): Promise<RunState> {
  const handle = await startRun(stack.client, stack.config, compileYaml(yaml), { params, logicalDate });
  return (await handle.result()) as RunState;
}

const train = (name: string) => runToEnd(trainYaml, { name });
const shadowYaml = () => readFileSync(path.join(paths.root, 'pipelines', 'nightly-shadow.yaml'), 'utf8');
/** One nightly-shadow run for `day` (its logical date is the next night, as the schedule's). */
async function shadowDay(day: string, params: Record<string, unknown>): Promise<EvaluateDayOutput> {
  const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
  const state = await runToEnd(shadowYaml(), params, `${next}T00:45:00Z`);
  expect(state.stages.archive.status).toBe('succeeded');
  expect(state.stages.shadow.status).toBe('succeeded');
  return state.stages.shadow.outputs as EvaluateDayOutput;
}

const simulated = readValidTrades(SIMULATED_FILE);
const exitingOn = (day: string, symbols?: string[]) => simulated.filter((t) => new Date(t.exit_time_ms).toISOString().startsWith(day) && (!symbols || symbols.includes(t.symbol)));
const root = (name: string) => modelRoot(stack.config.dataDir, name);

async function driftEvents(): Promise<Array<Record<string, string>>> {
  const entries = (await stack.redis.client.xrange('model.drift', '-', '+')) as Array<[string, string[]]>;
  return entries.map(([id, fields]) => ({ id, ...fieldsToObject(fields) }));
}

describe('nightly shadow evaluation', () => {
  beforeAll(async () => {
    await importTrades(SIMULATED_FILE, { redis: stack.redis.client });
    for (const name of ['shadow-a', 'shadow-b', 'shadow-c']) {
      const state = await train(name);
      expect((state.stages.publish.outputs as Out).published, name).toBe(true);
    }
  }, 300_000);

  it('runs on its schedule for past nights: one registry entry per day, the series in the report', async () => {
    const name = `nightly-shadow-${randomUUID().slice(0, 6)}`;
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'nightly-shadow.yaml');
    const yaml = shadowYaml()
      .replace(/^name: nightly-shadow$/m, `name: ${name}`)
      .replace('model: { type: string, default: demo-trade-pnl', 'model: { type: string, default: shadow-a')
      .replace('minTrades: { type: integer, default: 30', 'minTrades: { type: integer, default: 5');
    writeFileSync(file, yaml);
    const plan = compileYaml(yaml, file);
    await upsertSchedule(stack.client, stack.config, plan, file);
    const handle = stack.client.schedule.getHandle(scheduleId(plan));
    try {
      // Nights of 04-22, 04-23, 04-24 at 00:45 → the days 04-21, 04-22, 04-23, one run after another.
      await handle.backfill({ start: new Date('2023-04-22T00:00:00Z'), end: new Date('2023-04-25T00:00:00Z'), overlap: 'BUFFER_ALL' });
      const runs = await completedRuns(stack.client, name, 3);
      const outs = runs.map((r) => r.stages.shadow.outputs as EvaluateDayOutput).sort((a, b) => (a.day < b.day ? -1 : 1));
      expect(outs.map((o) => o.day)).toEqual(['2023-04-21', '2023-04-22', '2023-04-23']);
      for (const o of outs) {
        expect(o.version).toBe('v0001');
        // Every trade that exited that day is read; those of symbols the model never saw are not scored.
        expect(o.trades).toBe(exitingOn(o.day).length);
        const inUniverse = exitingOn(o.day, SYMBOLS).length;
        expect(inUniverse).toBeGreaterThan(3);
        expect(o.dropped["symbol not in the model's training set"]).toBe(o.trades - inUniverse);
        expect(o.scored).toBe(inUniverse);
        expect(o.dirAcc).toBeGreaterThanOrEqual(0);
        expect(o.dirAcc).toBeLessThanOrEqual(1);
        expect(Math.abs(o.ic!)).toBeLessThanOrEqual(1);
      }

      const series = await readShadowSeries(root('shadow-a'));
      expect(series.map((e) => e.day)).toEqual(['2023-04-21', '2023-04-22', '2023-04-23']);
      const last = series[2];
      // The verdict pools the window (7 days: all three here) and compares with the CV estimate.
      expect(last.window!.n).toBe(series.reduce((n, e) => n + e.scored, 0));
      expect(last.window!.days).toEqual(['2023-04-21', '2023-04-22', '2023-04-23']);
      const cv = JSON.parse(await readFile(path.join(root('shadow-a'), 'v0001/metrics.json'), 'utf8')).models.gbdt.stats;
      expect(last.cv.ic).toEqual(cv.ic);
      for (const c of last.drift.checks) expect(c.below).toBe(c.live < c.cvMean - c.cvStd);
      for (const e of series) {
        expect(e.rows).toHaveLength(e.scored);
        expect(e.metrics!.n).toBe(e.scored);
        expect(e.metrics!.calibration.bins.reduce((n, b) => n + b.n, 0)).toBe(e.scored);
        // A scheduled run's id is <pipeline>-<scheduled time>: the night after the day it scores.
        const night = new Date(Date.parse(`${e.day}T00:45:00Z`) + 86_400_000).toISOString().replace('.000Z', 'Z');
        expect(e.workflow?.workflowId).toBe(`${name}-${night}`);
      }
      const events = (await driftEvents()).filter((e) => e.name === 'shadow-a');
      expect(events.map((e) => e.day)).toEqual(series.filter((e) => e.drift.status === 'drift').map((e) => e.day));

      const report = path.join(root('shadow-a'), 'v0001/report/report.html');
      const html = await readFile(report, 'utf8');
      expect(html).toContain('Live shadow evaluation');
      for (const e of series) expect(html).toContain(`<td>${e.day}</td>`);
      expect(existsSync(path.join(root('shadow-a'), 'v0001/report/shadow.png'))).toBe(true);

      // The desk reads it in a browser: the live-skill chart has a point per day and series.
      const browser = await openHeadless();
      try {
        await browser.page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
        const rows = await browser.page.locator('table.shadow tr td:first-child').allTextContents();
        expect(rows).toEqual(['2023-04-21', '2023-04-22', '2023-04-23']);
        const points = await browser.page.locator('section.shadow figure svg circle.point').count();
        expect(points).toBe(6);
        expect(browser.errors).toEqual([]);
      } finally {
        await browser.close();
      }
    } finally {
      await deleteSchedule(stack.client, name);
    }
  }, 300_000);

  it("builds a trade's features exactly as training did for the same instant", async () => {
    // 04-15 lies inside the training span: its trades are rows of the training dataset too.
    const out = await shadowDay('2023-04-15', { model: 'shadow-a', minTrades: 5 });
    const entry = (await readShadowDay(root('shadow-a'), 'v0001', '2023-04-15'))!;
    const run = JSON.parse(await readFile(path.join(root('shadow-a'), 'v0001/run.json'), 'utf8'));
    const training = await readDataset(run.datasetFile);
    const live = await readDataset(entry.datasetFile!);
    expect(live.featureNames).toEqual(training.featureNames);
    expect(live.y.length).toBe(out.scored);
    expect(out.scored).toBeGreaterThan(3);
    const nf = live.featureNames.length;
    const index = new Map<string, number>();
    for (let r = 0; r < training.y.length; r++) index.set(`${training.symbol[r]}|${training.time[r]}|${training.y[r]}`, r);
    for (let r = 0; r < live.y.length; r++) {
      const t = index.get(`${live.symbol[r]}|${live.time[r]}|${live.y[r]}`);
      expect(t, `${live.symbol[r]} at ${new Date(live.time[r]).toISOString()} is a training row`).toBeDefined();
      for (let f = 0; f < nf; f++) {
        const a = live.X[r * nf + f];
        const b = training.X[t! * nf + f];
        // Both read different spans of bars; the settle bars make recursive indicators agree to ~1e-12.
        expect(Math.abs(a - b), `${live.featureNames[f]} of ${live.symbol[r]} at ${live.time[r]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
      }
    }
  }, 120_000);

  it('raises model.drift when outcomes run against the forecasts, and the next publish fails its gate', async () => {
    const day = '2023-04-24';
    const probe = await shadowDay(day, { model: 'shadow-b', minTrades: 5, windowDays: 1 });
    expect(probe.scored).toBeGreaterThan(3);
    const rows = (await readShadowDay(root('shadow-b'), 'v0001', day))!.rows;
    // The same trades, but each one's outcome is the mirror image of its forecast.
    const mirrored = rows.map((r) => ({
      symbol: r.symbol, side: r.side, entry_time_ms: r.entryTime, exit_time_ms: r.exitTime, entry_price: 1, exit_price: 1,
      pnl_pct: -100 * r.predicted, source: 'test: outcomes mirror the forecasts (constructed drift)', simulated: true,
    }));
    const file = path.join(dir, 'mirrored.jsonl');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, mirrored.map((t) => JSON.stringify(t)).join('\n') + '\n');
    await importTrades(file, { redis: stack.redis.client, stream: 'trades.mirrored' });

    const before = (await driftEvents()).length;
    const out = await shadowDay(day, { model: 'shadow-b', stream: 'trades.mirrored', minTrades: 5, windowDays: 1 });
    expect(out).toMatchObject({ scored: rows.length, drift: 'drift', dirAcc: 0 });
    expect(out.ic).toBeCloseTo(-1, 12);
    const events = await driftEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ id: out.driftEventId, name: 'shadow-b', version: 'v0001', day, trades: String(rows.length) });
    expect(events.at(-1)!.reason).toMatch(/below the CV estimate by more than its spread/);

    // Scoring the day again (a retry, a backfill) keeps the one alarm.
    const again = await shadowDay(day, { model: 'shadow-b', stream: 'trades.mirrored', minTrades: 5, windowDays: 1 });
    expect(again.driftEventId).toBe(out.driftEventId);
    expect(await driftEvents()).toHaveLength(before + 1);
    expect(await activeDriftAlarm(root('shadow-b'))).toMatchObject({ version: 'v0001', day });
    expect(await readFile(path.join(root('shadow-b'), 'v0001/report/report.html'), 'utf8')).toContain('DRIFT');

    // The next training run of the model is versioned but does not go live.
    const next = await train('shadow-b');
    const evaluate = next.stages.evaluate.outputs as Out;
    expect(evaluate.passed).toBe(false);
    expect(evaluate.reason).toMatch(/no live drift alarm on the published model — v0001 drifted on 2023-04-24/);
    expect(next.stages.publish.outputs).toMatchObject({ version: 'v0002', published: false, latest: 'v0001' });
    expect(await readLatest(root('shadow-b'))).toBe('v0001');
  }, 300_000);

  it('raises nothing when outcomes follow the forecasts, and the next publish goes live', async () => {
    const day = '2023-04-24';
    // shadow-c is trained exactly as shadow-b (same data, parameters and seed): same forecasts.
    const model = (n: string) => readFileSync(path.join(root(n), 'v0001/models/gbdt/model.json'), 'utf8');
    expect(model('shadow-c')).toBe(model('shadow-b'));
    const rows = (await readShadowDay(root('shadow-b'), 'v0001', day))!.rows;
    const faithful = rows.map((r) => ({
      symbol: r.symbol, side: r.side, entry_time_ms: r.entryTime, exit_time_ms: r.exitTime, entry_price: 1, exit_price: 1,
      pnl_pct: 100 * r.predicted, source: 'test: outcomes follow the forecasts (constructed, no drift)', simulated: true,
    }));
    const file = path.join(dir, 'faithful.jsonl');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, faithful.map((t) => JSON.stringify(t)).join('\n') + '\n');
    await importTrades(file, { redis: stack.redis.client, stream: 'trades.faithful' });

    const out = await shadowDay(day, { model: 'shadow-c', stream: 'trades.faithful', minTrades: 5, windowDays: 1 });
    expect(out).toMatchObject({ scored: rows.length, drift: 'ok', dirAcc: 1, driftEventId: null });
    expect(out.ic).toBeCloseTo(1, 12);
    expect((await driftEvents()).filter((e) => e.name === 'shadow-c')).toEqual([]);
    expect(await activeDriftAlarm(root('shadow-c'))).toBeUndefined();

    const next = await train('shadow-c');
    expect((next.stages.evaluate.outputs as Out).passed).toBe(true);
    expect(next.stages.publish.outputs).toMatchObject({ version: 'v0002', published: true, latest: 'v0002' });
  }, 300_000);
});
