// The README's main job: pipelines/demo.yaml end to end on the real stack (Temporal dev server,
// a worker, Redis, the local Binance-compatible server with the shipped real klines).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { useStack } from '../support/stack';
import { compileFile } from '../../cli/compile-file';
import { startRun } from '../../cli/run';
import { paths } from '../../stack/tools';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import type { RunState } from '../../workflows/run-state';

let server: BinanceServer;
beforeAll(async () => {
  server = await startBinanceServer({});
});
afterAll(() => server?.close());
const stack = useStack(() => ({ binanceBaseUrl: server.url }));

type Out = Record<string, any>;

describe('the demo pipeline', () => {
  it('backfills, labels, builds features, trains, evaluates and publishes on the real data', async () => {
    const { plan, errors } = compileFile(path.join(paths.root, 'pipelines/demo.yaml'));
    expect(errors).toEqual([]);
    const handle = await startRun(stack.client, stack.config, plan!);
    const state = (await handle.result()) as RunState;
    const out = (id: string) => state.stages[id].outputs as Out;
    for (const s of plan!.stages) expect(state.stages[s.id].status, s.id).toBe('succeeded');

    // The last day came from the (simulated) live tick feed: four symbols x 1440 bars, in the store before the backfill.
    const live = out('liveBars');
    expect(out('simulateTicks').simulated).toBe(true);
    expect(live.bars).toBe(4 * 1440);
    expect(live.mainWritten).toBe(4 * 1440);
    expect(live.simulatedTicks).toBe(live.ticks);
    expect(live.duplicates).toBe(out('simulateTicks').duplicatesSent);
    expect([live.late, live.invalid, live.pending]).toEqual([0, 0, 0]);
    const chunks = out('backfill') as Out[];
    expect(chunks).toHaveLength(8);
    expect(chunks.every((c) => c.complete)).toBe(true);
    // April 2023: four symbols x 30 days of 1m bars, minus XRP's real gap before 04-01 21:03; the live day was skipped.
    expect(chunks.reduce((n, c) => n + c.skipped, 0)).toBe(4 * 1440);
    expect(chunks.reduce((n, c) => n + c.fetched + c.skipped, 0)).toBeGreaterThan(4 * 43_000 - 2000);
    // Reconciled with Binance: the same bars, field for field (the served data has no trade statistics).
    const rec = out('reconcile');
    expect([rec.live, rec.binance, rec.both, rec.barsDiffering, rec.liveOnly, rec.binanceOnly]).toEqual([5760, 5760, 5760, 0, 0, 0]);
    expect(rec.binanceWithoutTradeStats).toBe(5760);
    expect(existsSync(rec.reportFile)).toBe(true);

    expect(out('seedTrades').imported + out('seedTrades').skippedDuplicates).toBe(680);
    expect(out('archive').count).toBeGreaterThan(0);
    // Trade PnL is the label where trades exist: one sample per trade, features at its entry.
    expect(out('tradeLabels').count).toBe(680);
    expect(out('tradeFeatures').rows).toBeGreaterThanOrEqual(0.98 * 680);
    expect(typeof out('tradeEvaluate').passed).toBe('boolean');

    expect(out('labels').count).toBeGreaterThan(1000);
    const validity = out('features').validity;
    expect(validity.out / validity.in).toBeGreaterThanOrEqual(0.98);
    expect(out('features').rows).toBe(validity.out);

    const publish = out('publish');
    const versionDir = publish.versionDir as string;
    for (const f of ['metrics.json', 'report/report.html', 'report/equity.png', 'report/scatter.png']) expect(existsSync(path.join(versionDir, f)), f).toBe(true);
    expect(readFileSync(path.join(versionDir, 'report/report.html'), 'utf8')).toContain('<svg');
    // The desk's two tree models (depth-wise, leaf-wise) and the net, blended.
    for (const f of ['models/gbdt/xgboost.json', 'models/gbdt_leafwise/xgboost.json', 'models/mlp/model.json']) expect(existsSync(path.join(versionDir, f)), f).toBe(true);
    const weights = JSON.parse(readFileSync(path.join(versionDir, 'models/ensemble.json'), 'utf8')).weights;
    expect(Object.keys(weights).sort()).toEqual(['gbdt', 'gbdt_leafwise', 'mlp']);

    // The gate decides: latest moves (and model.published is announced) if and only if it passed.
    expect(publish.published).toBe(out('evaluate').passed);
    const announced = await stack.redis.client.xlen('model.published');
    // The trade model is versioned too; its latest (what nightly-shadow scores with) moves only if its own gate passed.
    const tradePublish = out('tradePublish');
    expect(existsSync(path.join(tradePublish.versionDir as string, 'models/gbdt/xgboost.json'))).toBe(true);
    expect(tradePublish.published).toBe(out('tradeEvaluate').passed);
    expect(announced).toBe((out('evaluate').passed ? 1 : 0) + (out('tradeEvaluate').passed ? 1 : 0));
    expect(out('evaluate').summary).toMatch(out('evaluate').passed ? /PASSED|passed/ : /FAILED|does NOT beat/);
  }, 600_000);
});
