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
import type { BenchReport } from './report';

/** `make` builds the input; its bars are dropped after the upsert so the activity runs on a clean heap. */
export async function benchThroughRedis(report: BenchReport, make: () => { bars: Kline[]; samples: SampleRef[] }, peakRssMb: () => number, resetPeak: () => void): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-features-redis-'));
  const server = await startRedis({ dir: path.join(dir, 'redis') });
  const redis = new Redis(server.url);
  try {
    const store = new KlineStore(redis);
    const { upsertMs, nBars, samplesFile, first, last } = await (async () => {
      const { bars, samples } = make();
      const t0 = performance.now();
      await store.upsert('BTCUSDT', '1m', bars);
      const file = writeSamples(dir, samples.map((s) => ({ ...s, kind: 'forward', horizonMs: 900_000 })) as Sample[]).file;
      return { upsertMs: performance.now() - t0, nBars: bars.length, samplesFile: file, first: bars[0].openTime, last: bars[bars.length - 1].openTime };
    })();
    global.gc?.();
    let t = performance.now();
    const back = (await store.range('BTCUSDT', '1m', first, last)).length;
    const rangeMs = performance.now() - t;
    global.gc?.();
    resetPeak();
    const build = createFeaturesBuild({ klines: store, dataDir: dir });
    t = performance.now();
    const out = await build({ samplesFile, interval: '1m' }, localContext({ quiet: true }));
    const activityMs = performance.now() - t;
    console.log(
      `THROUGH REDIS: upsert ${nBars} bars ${upsertMs.toFixed(0)} ms (setup); KlineStore.range of all ${back} bars at once ${rangeMs.toFixed(0)} ms;\n` +
        `  whole features.build activity (samples file, store reads in parts of ≤250k bars, features, lookups, Arrow write): ${activityMs.toFixed(0)} ms, ${out.rows} rows; ` +
        `peak RSS during the activity ${peakRssMb().toFixed(0)} MB`,
    );
    report.figure({ name: `features.build activity on ${nBars} bars through Redis (${out.rows} rows)`, value: activityMs, unit: 'ms' });
    const peak = peakRssMb();
    report.figure({ name: 'peak RSS during the activity', value: peak, unit: 'MB', target: '≤ 300 MB', met: peak <= 300 });
    report.figure({ name: `KlineStore.range of ${back} bars`, value: rangeMs, unit: 'ms' });
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
