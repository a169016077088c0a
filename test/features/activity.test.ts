// features.build end to end against a real Redis: klines upserted through KlineStore, a samples
// file on disk, the dataset file read back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localContext } from '../../activities/context';
import { KlineStore } from '../../activities/binance/kline-store';
import { createFeaturesActivities } from '../../activities/features';
import { createFeaturesBuild, type FeaturesBuildOutput } from '../../activities/features/build-activity';
import { DatasetBuilder } from '../../activities/features/dataset-builder';
import { readDataset } from '../../activities/features/dataset';
import { resolveFeatureConfig, settleBars } from '../../activities/features/feature-config';
import { DROP } from '../../activities/features/validity';
import { writeSamples } from '../../activities/labels/samples-file';
import { loadConfig } from '../../config';
import { useRedis } from '../support/redis';
import { klinesBetween, MINUTE } from './real-klines';
import { samplesFromBars, writeSamplesFile } from './samples-fixture';

const redis = useRedis();
const dir = mkdtempSync(path.join(tmpdir(), 'features-activity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = () => localContext({ quiet: true });

// Includes the 2023-03-24 halt.
const FROM = '2023-03-23T00:00:00Z';
const TO = '2023-03-26T00:00:00Z';
const btc = klinesBetween('BTCUSDT', FROM, TO);
const eth = klinesBetween('ETHUSDT', FROM, TO);
const samples = [
  ...samplesFromBars('BTCUSDT', btc.slice(100), 11),
  ...samplesFromBars('ETHUSDT', eth.slice(100), 11),
  { symbol: 'NOPEUSDT', time: Date.parse('2023-03-24T00:00:00Z'), label: 0.1 },
];

describe('features.build against Redis', () => {
  let store: KlineStore;
  beforeAll(async () => {
    store = new KlineStore(redis.client);
    await store.upsert('BTCUSDT', '1m', btc);
    await store.upsert('ETHUSDT', '1m', eth);
  });

  it('builds the dataset, reports every dropped sample, and matches the pure builder on the same bars', async () => {
    const samplesFile = writeSamplesFile(dir, samples);
    const config = { ...loadConfig(), dataDir: path.join(dir, 'data') };
    const acts = createFeaturesActivities({ redis: redis.client, config });
    const out = (await acts['features.build']({ samplesFile, interval: '1m' }, ctx())) as FeaturesBuildOutput;

    expect(out.validity.in).toBe(samples.length);
    expect(out.validity.out).toBe(out.rows);
    expect(out.validity.out + Object.values(out.validity.dropped).reduce((a, c) => a + c, 0)).toBe(samples.length);
    expect(out.validity.dropped[DROP.noKlines]).toBeGreaterThanOrEqual(1); // NOPEUSDT + samples inside the halt
    expect(out.validity.dropped[DROP.gap]).toBeGreaterThan(0);
    // 3 days with an 80-minute halt: the hour after it is lost to the warm-up (≈2%); the ≥98%
    // target is checked over the whole shipped history in validity-real.test.ts.
    expect(out.validity.validShareWhereCovered!).toBeGreaterThan(0.95);
    expect(out.datasetFile).toBe(path.join(config.dataDir, 'datasets', `${out.hash}.arrow`));
    expect(JSON.stringify(out).length).toBeLessThan(4000); // small JSON, not bulk data

    const ds = await readDataset(out.datasetFile);
    expect(ds.featureNames).toEqual(out.features);
    expect(ds.meta.symbols).toEqual(['BTCUSDT', 'ETHUSDT', 'NOPEUSDT']);
    expect(ds.meta.label).toMatchObject({ kind: 'forward', horizonMs: [900_000], samplesMeta: { labelDefinition: 'test: ln forward 15-bar return' } });
    expect(ds.meta.klineRanges!.map((r) => r.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(ds.meta.klineRanges![0].runs).toBe(2); // the halt

    const ref = new DatasetBuilder(resolveFeatureConfig(), '1m', MINUTE);
    ref.addSymbol('BTCUSDT', samples.filter((s) => s.symbol === 'BTCUSDT'), btc);
    ref.addSymbol('ETHUSDT', samples.filter((s) => s.symbol === 'ETHUSDT'), eth);
    const expected = ref.finish();
    // The reference saw more history than the activity read (from 00:00, not from the warm-up +
    // settle window), so recursive indicators agree to their settle tolerance, not bit for bit.
    expect(ds.X.length).toBe(expected.X.length);
    ds.X.forEach((x, i) => expect(Math.abs(x - expected.X[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x))));
    expect(Array.from(ds.y)).toEqual(Array.from(expected.y));

    // Read in many small parts instead of one read per symbol: same rows, same values to 1e-9.
    const parted = await createFeaturesBuild({ klines: new KlineStore(redis.client), dataDir: path.join(dir, 'parted'), maxBarsPerRead: 1500 })({ samplesFile, interval: '1m' }, ctx());
    const pds = await readDataset(parted.datasetFile);
    expect(pds.meta.klineRanges![0].reads).toBeGreaterThan(1);
    expect(parted.validity).toEqual(out.validity);
    ds.X.forEach((x, i) => expect(Math.abs(x - pds.X[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x))));

    // A retry with the same input writes the same file.
    const again = (await acts['features.build']({ samplesFile, interval: '1m' }, ctx())) as FeaturesBuildOutput;
    expect(again.hash).toBe(out.hash);
  });

  it('backfillMissing: calls ensureKlines for the range it needs, then uses the new bars; without it, drops with a reason', async () => {
    const sol = klinesBetween('SOLUSDT', '2023-04-04T12:00:00Z', '2023-04-06T00:00:00Z');
    await store.upsert('SOLUSDT', '1m', sol.slice(0, 1200)); // the rest is "missing"
    const solSamples = samplesFromBars('SOLUSDT', sol.slice(800, 1800), 10);
    const samplesFile = writeSamplesFile(dir, solSamples);
    const calls: unknown[][] = [];
    const ensureKlines = async (symbol: string, interval: string, fromMs: number, toMs: number, _ctx: unknown) => {
      calls.push([symbol, interval, fromMs, toMs]);
      await store.upsert(symbol, interval, sol.filter((k) => k.openTime >= fromMs && k.openTime <= toMs));
    };
    const build = createFeaturesBuild({ klines: store, dataDir: path.join(dir, 'data'), ensureKlines });

    const without = await build({ samplesFile, interval: '1m', backfillMissing: false }, ctx());
    expect(calls).toHaveLength(0);
    expect(without.validity.dropped[DROP.noKlines]).toBeGreaterThan(0);

    const withBackfill = await build({ samplesFile, interval: '1m', backfillMissing: true }, ctx());
    const first = Math.min(...solSamples.map((s) => s.time));
    const last = Math.max(...solSamples.map((s) => s.time));
    const lastClosedOpen = (t: number) => Math.floor((t - MINUTE) / MINUTE) * MINUTE;
    expect(calls).toEqual([['SOLUSDT', '1m', lastClosedOpen(first) - (60 + settleBars(resolveFeatureConfig())) * MINUTE, lastClosedOpen(last)]]);
    expect(withBackfill.validity.dropped[DROP.noKlines]).toBeUndefined();
    expect(withBackfill.rows).toBeGreaterThan(without.rows);
  });

  it('rejects bad input without retrying, and fails loudly when no sample survives', async () => {
    const samplesFile = writeSamplesFile(dir, [{ symbol: 'NOPEUSDT', time: Date.parse('2023-03-24T00:00:00Z'), label: 1 }]);
    const build = createFeaturesBuild({ klines: store, dataDir: path.join(dir, 'data') });
    await expect(build({ samplesFile, interval: '7m' }, ctx())).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(build({ samplesFile, interval: '1m', features: { rsi: { period: 0 } } }, ctx())).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(build({ samplesFile: path.join(dir, 'absent.gz'), interval: '1m' }, ctx())).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(build({ samplesFile, interval: '1m' }, ctx())).rejects.toMatchObject({ code: 'EmptyDataset', message: expect.stringContaining(DROP.noKlines) });
    const t = Date.parse('2023-03-24T00:00:00Z');
    const mixed = writeSamples(dir, [
      { symbol: 'BTCUSDT', time: t, label: 0.01, kind: 'forward', horizonMs: 900_000 },
      { symbol: 'BTCUSDT', time: t, label: 0.02, kind: 'trade', horizonMs: 3_600_000 },
    ]).file;
    await expect(build({ samplesFile: mixed, interval: '1m' }, ctx())).rejects.toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('mixes label kinds') });
  });
});
