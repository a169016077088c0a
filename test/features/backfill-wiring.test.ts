// createFeaturesActivities as the worker wires it: with backfillMissing, bars the store lacks are
// fetched by binance backfillKlines from the local Binance-compatible server (real shipped bars).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localContext } from '../../activities/context';
import { createFeaturesActivities } from '../../activities/features';
import type { FeaturesBuildOutput } from '../../activities/features/build-activity';
import { DROP } from '../../activities/features/validity';
import { loadConfig } from '../../config';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import { useRedis } from '../support/redis';
import { klinesBetween } from './real-klines';
import { samplesFromBars, writeSamplesFile } from './samples-fixture';

const redis = useRedis();
const dir = mkdtempSync(path.join(tmpdir(), 'features-backfill-'));
let server: BinanceServer;
beforeAll(async () => {
  server = await startBinanceServer();
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('features.build with the real backfill wiring', () => {
  it('an empty store + backfillMissing: bars are backfilled from the server and the samples come out', async () => {
    const bars = klinesBetween('XRPUSDT', '2023-04-10T00:00:00Z', '2023-04-11T00:00:00Z');
    const samplesFile = writeSamplesFile(dir, samplesFromBars('XRPUSDT', bars.slice(0, bars.length - 20), 30));
    const config = { ...loadConfig(), dataDir: path.join(dir, 'data'), binanceBaseUrl: server.url };
    const build = createFeaturesActivities({ redis: redis.client, config })['features.build'];
    const ctx = () => localContext({ quiet: true });

    await expect(build({ samplesFile, interval: '1m' }, ctx())).rejects.toMatchObject({ code: 'EmptyDataset' });

    const out = (await build({ samplesFile, interval: '1m', backfillMissing: true }, ctx())) as FeaturesBuildOutput;
    expect(out.validity.dropped[DROP.noKlines]).toBeUndefined();
    expect(out.validity.dropped[DROP.gap]).toBeUndefined();
    // The fixture's label is null where a future bar is missing from the shipped file.
    expect(Object.keys(out.validity.dropped).filter((r) => r !== DROP.labelMissing)).toEqual([]);
    expect(out.rows).toBeGreaterThan(0.95 * out.validity.in);
    expect(await redis.client.keys('klines:XRPUSDT:1m*')).not.toHaveLength(0);
  });
});
