// The whole features.build activity on one symbol-year through a real, temporary redis-server:
// KlineStore read + features + lookups + Arrow write (part of bench/features.ts --redis).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { startRedis } from '../stack/redis';
import type { Kline } from '../activities/binance/kline';
import { KlineStore } from '../activities/binance/kline-store';
import { localContext } from '../activities/context';
import { createFeaturesBuild } from '../activities/features/build-activity';
import type { SampleRef } from '../activities/features/lookup';
import type { Sample } from '../activities/labels/sample';
import { writeSamples } from '../activities/labels/samples-file';

export async function benchThroughRedis(bars: Kline[], samples: SampleRef[], peakRssMb: () => number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-features-redis-'));
  const server = await startRedis({ dir: path.join(dir, 'redis') });
  const redis = new Redis(server.url);
  try {
    const store = new KlineStore(redis);
    let t = performance.now();
    await store.upsert('BTCUSDT', '1m', bars);
    const upsertMs = performance.now() - t;
    t = performance.now();
    const back = await store.range('BTCUSDT', '1m', bars[0].openTime, bars[bars.length - 1].openTime);
    const rangeMs = performance.now() - t;
    const samplesFile = writeSamples(dir, samples.map((s) => ({ ...s, kind: 'forward', horizonMs: 900_000 })) as Sample[]).file;
    const build = createFeaturesBuild({ klines: store, dataDir: dir });
    t = performance.now();
    const out = await build({ samplesFile, interval: '1m' }, localContext({ quiet: true }));
    const activityMs = performance.now() - t;
    console.log(
      `\nTHROUGH REDIS: upsert ${bars.length} bars ${upsertMs.toFixed(0)} ms (setup); KlineStore.range of ${back.length} bars ${rangeMs.toFixed(0)} ms; ` +
        `whole features.build activity (samples file read, store read, features, lookups, Arrow write) ${activityMs.toFixed(0)} ms, ${out.rows} rows; peak RSS so far ${peakRssMb().toFixed(0)} MB`,
    );
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
