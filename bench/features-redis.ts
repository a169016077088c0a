// The whole features.build activity on one symbol-year through a real, temporary redis-server:
// KlineStore read + features + lookups + Arrow write (part of bench/features.ts --redis). The
// activity runs in a process of its own, as on a worker, so its peak RSS is its own and not that
// of the set-up (half a million Kline objects built and upserted here).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export const peakRssMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
export const resetPeak = () => {
  try {
    writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
  } catch {}
};

/** `make` builds the input, stored in Redis before the activity's process starts. */
export async function benchThroughRedis(report: BenchReport, make: () => { bars: Kline[]; samples: SampleRef[] }): Promise<void> {
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
    const child = JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--activity', server.url, samplesFile, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
    ) as { activityMs: number; rows: number; peakMb: number; rssBeforeMb: number };
    const { activityMs, peakMb: peak, rssBeforeMb: rssBefore } = child;
    const out = { rows: child.rows };
    let t: number;
    // Store reads alone, after the activity (Kline objects would grow the heap it is measured on).
    t = performance.now();
    const columns = (await store.rangeColumns('BTCUSDT', '1m', first, last)).close.length;
    const columnsMs = performance.now() - t;
    t = performance.now();
    const back = (await store.range('BTCUSDT', '1m', first, last)).length;
    const rangeMs = performance.now() - t;
    console.log(
      `THROUGH REDIS: upsert ${nBars} bars ${upsertMs.toFixed(0)} ms (setup);\n` +
        `  whole features.build activity (samples file, store reads as columns in parts of ≤250k bars, features, lookups, Arrow write): ${activityMs.toFixed(0)} ms, ${out.rows} rows; ` +
        `peak RSS during the activity ${peak.toFixed(0)} MB (process RSS before it: ${rssBefore.toFixed(0)} MB)\n` +
        `  KlineStore reads of all ${nBars} bars at once: as columns ${columnsMs.toFixed(0)} ms (${columns}), as Kline objects ${rangeMs.toFixed(0)} ms (${back})`,
    );
    report.figure({ name: `features.build activity on ${nBars} bars through Redis (${out.rows} rows)`, value: activityMs, unit: 'ms' });
    report.figure({ name: 'peak RSS of the process during the activity (a symbol-year)', value: peak, unit: 'MB', target: '≤ 300 MB', met: peak <= 300 });
    report.figure({ name: `KlineStore.rangeColumns of ${columns} bars`, value: columnsMs, unit: 'ms', baseline: { name: 'KlineStore.range (Kline objects)', value: rangeMs }, ratio: columnsMs / rangeMs });
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child: runs the activity once and prints its time and the process's peak RSS as JSON. */
async function activityProcess(redisUrl: string, samplesFile: string, dir: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    global.gc?.();
    resetPeak();
    const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
    const build = createFeaturesBuild({ klines: new KlineStore(redis), dataDir: dir });
    const t = performance.now();
    const out = await build({ samplesFile, interval: '1m' }, localContext({ quiet: true }));
    const activityMs = performance.now() - t;
    console.log(JSON.stringify({ activityMs, rows: out.rows, peakMb: peakRssMb(), rssBeforeMb }));
  } finally {
    redis.disconnect();
  }
}

if (process.argv[2] === '--activity') {
  activityProcess(process.argv[3], process.argv[4], process.argv[5]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
