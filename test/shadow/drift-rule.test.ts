// The pure parts of the shadow evaluation: the drift rule, calibration, matching dataset rows
// back to trades, the forecast's meaning, the gate's drift check and which alarm stands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeDrift } from '../../models/evaluation/drift';
import { calibration } from '../../models/evaluation/calibration';
import { evaluateGate } from '../../models/evaluation/gate';
import { summarizeFolds } from '../../models/evaluation/summary';
import { matchRows, toPnlForecast } from '../../activities/shadow/score';
import { pointLatest } from '../../models/registry/latest';
import { activeDriftAlarm, readShadowSeries, SHADOW_FORMAT, writeShadowDay, type ShadowDay } from '../../models/registry/shadow';
import type { Dataset } from '../../activities/features/dataset';
import type { Trade } from '../../activities/trades/trade';

const cv = { dirAcc: { mean: 0.6, std: 0.05 }, ic: { mean: 0.1, std: 0.04 } };
const rule = { metrics: ['dirAcc', 'ic'] as Array<'dirAcc' | 'ic'>, spreads: 1, minSamples: 20 };

describe('the drift rule', () => {
  it('fires only when a metric falls below CV mean − spreads × std', () => {
    expect(judgeDrift({ n: 50, dirAcc: 0.56, ic: 0.07 }, cv, rule).status).toBe('ok');
    const d = judgeDrift({ n: 50, dirAcc: 0.56, ic: 0.05 }, cv, rule);
    expect(d.status).toBe('drift');
    expect(d.checks.find((c) => c.metric === 'ic')).toMatchObject({ below: true, threshold: expect.closeTo(0.06, 12) });
    expect(d.checks.find((c) => c.metric === 'dirAcc')!.below).toBe(false);
    expect(d.reason).toMatch(/ic 0\.0500 < CV 0\.1000 − 1×0\.0400 = 0\.0600/);
    // Two spreads of slack: the same live skill is no longer drift.
    expect(judgeDrift({ n: 50, dirAcc: 0.56, ic: 0.05 }, cv, { ...rule, spreads: 2 }).status).toBe('ok');
    // Only the metrics asked for are judged.
    expect(judgeDrift({ n: 50, dirAcc: 0.4, ic: 0.2 }, cv, { ...rule, metrics: ['ic'] }).status).toBe('ok');
  });

  it('gives no verdict on too few trades', () => {
    expect(judgeDrift({ n: 19, dirAcc: 0, ic: -1 }, cv, rule)).toMatchObject({ status: 'insufficient', checks: [] });
    expect(judgeDrift(null, cv, rule).reason).toMatch(/0 live samples/);
  });
});

describe('calibration', () => {
  it('slope 1 for forecasts that come true, 0 for a constant forecast, equal-size bins in forecast order', () => {
    const p = [0.01, -0.02, 0.03, 0.005, -0.01, 0.02];
    const c = calibration(p, p);
    expect(c.slope).toBeCloseTo(1, 12);
    expect(c.intercept).toBeCloseTo(0, 12);
    expect(c.bins.map((b) => b.n)).toEqual([1, 1, 1, 1, 2]);
    expect(c.bins.map((b) => b.predicted)).toEqual([...c.bins.map((b) => b.predicted)].sort((a, b) => a - b));
    const flat = calibration([0.01, 0.01, 0.01], [0.02, -0.01, 0.03]);
    expect(flat).toMatchObject({ slope: 0, meanRealised: expect.closeTo(0.04 / 3, 12) });
    // Forecasts twice too large: slope ½.
    expect(calibration([0.02, -0.04, 0.06], [0.01, -0.02, 0.03]).slope).toBeCloseTo(0.5, 12);
  });
});

describe('scoring rows', () => {
  const trade = (id: string, symbol: string, entry: number, pnl: number, side: Trade['side'] = 'long'): Trade => ({
    id, symbol, side, entry_time_ms: entry, exit_time_ms: entry + 60_000, entry_price: 1, exit_price: 1, pnl_pct: pnl, source: 't', simulated: false,
  });

  it('matches rows to their trades by symbol, entry time and pnl, also when two trades share an entry', () => {
    const trades = [trade('a', 'BTCUSDT', 1000, 0.5), trade('b', 'BTCUSDT', 1000, -0.25), trade('c', 'ETHUSDT', 1000, 0.1)];
    const ds = { y: Float64Array.from([-0.0025, 0.001, 0.005]), symbol: ['BTCUSDT', 'ETHUSDT', 'BTCUSDT'], time: Float64Array.from([1000, 1000, 1000]) } as unknown as Dataset;
    expect(matchRows(ds, trades).map((t) => t?.id)).toEqual(['b', 'c', 'a']);
  });

  it('a trade-pnl model forecasts pnl as is; a price-return forecast earns a short trade with the sign flipped', () => {
    expect(toPnlForecast('trade', 'short', 0.01)).toBe(0.01);
    expect(toPnlForecast('forward', 'long', 0.01)).toBe(0.01);
    expect(toPnlForecast('forward', 'short', 0.01)).toBe(-0.01);
    expect(toPnlForecast('barrier', 'short', -0.02)).toBe(0.02);
  });
});

describe('the gate and the drift alarm', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const models = {
    gbdt: summarizeFolds([{ n: 10, r2: 0.01, mae: 1, rmse: 1, dirAcc: 0.6, ic: 0.1 }]),
    'baseline:mean': summarizeFolds([{ n: 10, r2: 0, mae: 1.1, rmse: 1.1, dirAcc: 0.5, ic: 0 }]),
  };
  const alarm = { version: 'v0003', day: '2023-04-24', reason: 'ic below' };

  it('fails while an alarm stands, unless allowDrift', () => {
    const gate = { metric: 'mae' as const, mustBeatBaseline: 'mean' as const, byMargin: 0.01 };
    expect(evaluateGate(models, 'gbdt', gate, false).passed).toBe(true);
    const failed = evaluateGate(models, 'gbdt', gate, false, alarm);
    expect(failed.passed).toBe(false);
    expect(failed.reason).toMatch(/no live drift alarm on the published model — v0003 drifted on 2023-04-24: ic below/);
    const allowed = evaluateGate(models, 'gbdt', { ...gate, allowDrift: true }, false, alarm);
    expect(allowed.passed).toBe(true);
    expect(allowed.reason).toMatch(/allowed by allowDrift/);
  });

  const day = (version: string, d: string, status: ShadowDay['drift']['status']): ShadowDay => ({
    format: SHADOW_FORMAT, name: 'm', version, day: d, stream: 'trade.closed', evaluatedAt: '', workflow: null,
    model: { primary: 'gbdt', labelKind: 'trade', forecast: '' }, cv, trades: 0, scored: 0, simulated: 0, dropped: {}, metrics: null, window: null,
    drift: { status, checks: [], reason: `${status} on ${d}`, rule: { metrics: ['ic'], spreads: 1, minTrades: 1, windowDays: 1 } },
    driftEvent: status === 'drift' ? { stream: 'model.drift', id: '1-0' } : null, samplesFile: null, datasetFile: null, rows: [],
  });

  it('stands on the latest judged day of the live version; a later good day or another version clears it', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'shadow-alarm-'));
    dirs.push(root);
    expect(await activeDriftAlarm(root)).toBeUndefined();
    await pointLatest(root, 'v0001');
    await writeShadowDay(root, day('v0001', '2023-04-20', 'ok'));
    await writeShadowDay(root, day('v0001', '2023-04-21', 'drift'));
    // A day without a verdict (too few trades) neither raises nor clears.
    await writeShadowDay(root, day('v0001', '2023-04-22', 'insufficient'));
    expect(await activeDriftAlarm(root)).toMatchObject({ version: 'v0001', day: '2023-04-21', event: { id: '1-0' } });
    await writeShadowDay(root, day('v0001', '2023-04-23', 'ok'));
    expect(await activeDriftAlarm(root)).toBeUndefined();
    await writeShadowDay(root, day('v0001', '2023-04-24', 'drift'));
    expect(await activeDriftAlarm(root)).toMatchObject({ day: '2023-04-24' });
    await pointLatest(root, 'v0002');
    expect(await activeDriftAlarm(root)).toBeUndefined();
    // Each version keeps its own record: scoring v0002 on the same day leaves v0001's entry alone.
    await writeShadowDay(root, day('v0002', '2023-04-24', 'ok'));
    expect((await readShadowSeries(root, 'v0001')).map((e) => e.day)).toEqual(['2023-04-20', '2023-04-21', '2023-04-22', '2023-04-23', '2023-04-24']);
    expect((await readShadowSeries(root)).map((e) => `${e.day} ${e.version} ${e.drift.status}`).slice(-2)).toEqual(['2023-04-24 v0001 drift', '2023-04-24 v0002 ok']);
  });
});
