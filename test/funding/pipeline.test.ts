// docs/add-a-stage.md end to end: pipelines/forward-return-funding.yaml — forward-return.yaml plus
// a funding-rate data source, a YAML-only change — runs on the real stack (Temporal dev server, a
// worker, Redis, the local Binance-compatible server and its SIMULATED funding rates), and the
// model trains on the funding features, joined as of each sample.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readDataset } from '../../activities/features/dataset';
import { compileFile } from '../../cli/compile-file';
import { startRun } from '../../cli/run';
import { paths } from '../../stack/tools';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import { deriveFundingRates } from '../../stack/binance-server/funding';
import type { RunState } from '../../workflows/run-state';
import { csvKlines } from '../binance/support';
import { useStack } from '../support/stack';

let server: BinanceServer;
beforeAll(async () => {
  server = await startBinanceServer({});
});
afterAll(() => server?.close());
const stack = useStack(() => ({ binanceBaseUrl: server.url }));
const file = (name: string) => path.join(paths.root, 'pipelines', name);
const t = (s: string) => Date.parse(s);

describe('adding a data source by editing YAML (docs/add-a-stage.md)', () => {
  it('changes the pipeline by YAML only: two new stages, and train reads their dataset', () => {
    const base = parse(readFileSync(file('forward-return.yaml'), 'utf8'));
    const withFunding = parse(readFileSync(file('forward-return-funding.yaml'), 'utf8'));
    expect(Object.keys(withFunding.stages).filter((id) => !(id in base.stages))).toEqual(['fundingRates', 'fundingFeatures']);
    for (const id of Object.keys(base.stages)) {
      if (id === 'train') continue;
      expect(withFunding.stages[id], id).toEqual(base.stages[id]);
    }
    const { datasetFile, name, ...rest } = withFunding.stages.train.with;
    const { datasetFile: baseFile, name: baseName, ...baseRest } = base.stages.train.with;
    expect(rest).toEqual(baseRest);
    expect([baseFile, datasetFile]).toEqual(['${{ stages.features.outputs.datasetFile }}', '${{ stages.fundingFeatures.outputs.datasetFile }}']);
    expect(withFunding.params).toEqual(base.params);
    for (const f of ['forward-return.yaml', 'forward-return-funding.yaml']) expect(compileFile(file(f)).errors, f).toEqual([]);
  });

  it('runs end to end: fetches the funding rates, joins them as of each sample, trains on them', async () => {
    const { plan } = compileFile(file('forward-return-funding.yaml'));
    const handle = await startRun(stack.client, stack.config, plan!);
    const state = (await handle.result()) as RunState;
    for (const s of plan!.stages) expect(state.stages[s.id].status, s.id).toBe('succeeded');
    const out = (id: string) => state.stages[id].outputs as Record<string, any>;

    const from = t('2023-03-30');
    const to = t('2023-05-01');
    const expected = new Map(['BTCUSDT', 'ETHUSDT'].map((s) => [s, deriveFundingRates(s, csvKlines(s)).filter((r) => r.fundingTime >= from && r.fundingTime <= to)]));
    const rates = out('fundingRates');
    expect(rates.simulated).toBe(true);
    expect(rates.fetched).toBe(expected.get('BTCUSDT')!.length + expected.get('ETHUSDT')!.length);
    expect(rates.summary).toMatch(/SIMULATED by the source/);

    const added = out('fundingFeatures');
    expect(added.added).toEqual(['funding_rate', 'funding_rate_mean_3']);
    expect(added.rows).toBe(out('features').rows - added.dropped);
    expect(added.dropped).toBeLessThan(out('features').rows * 0.02);
    const ds = await readDataset(added.datasetFile);
    expect(ds.featureNames.slice(-2)).toEqual(['funding_rate', 'funding_rate_mean_3']);
    expect((ds.meta as any).funding).toMatchObject({ window: 3, simulated: true });
    // Every row carries the last settlement at or before its time, never a later one.
    const nf = ds.featureNames.length;
    for (let r = 0; r < ds.y.length; r++) {
      const recs = expected.get(ds.symbol[r])!;
      let last = -1;
      while (last + 1 < recs.length && recs[last + 1].fundingTime <= ds.time[r]) last++;
      const mean = (Number(recs[last - 2].fundingRate) + Number(recs[last - 1].fundingRate) + Number(recs[last].fundingRate)) / 3;
      expect([ds.X[r * nf + nf - 2], ds.X[r * nf + nf - 1]]).toEqual([Number(recs[last].fundingRate), mean]);
    }

    const runDir = out('train').runDir as string;
    const run = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    expect(run.featureNames).toEqual(ds.featureNames);
    const metrics = JSON.parse(readFileSync(path.join(runDir, 'metrics.json'), 'utf8'));
    expect(Object.keys(metrics.final.featureImportance.byFeature)).toContain('funding_rate');
    expect(typeof out('evaluate').passed).toBe('boolean');
  }, 600_000);
});
