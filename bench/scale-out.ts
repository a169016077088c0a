// Scale-out: the same 4-symbol backfill pipeline run by 1, 2 and 3 worker processes on one task
// queue, throughput (klines stored per second, run start to end) as a ratio to 1 worker.
//   npx tsx bench/scale-out.ts
// Each worker runs at most 2 activities at once (TRAINFLOW_WORKER_ACTIVITIES), standing for one
// machine's capacity; the local Binance server's weight limit is raised (1,000,000 per minute)
// and adds 100 ms per request, so the exchange is not the bottleneck. All workers share this
// machine's cores: on separate machines the ratios could only be better.
import path from 'node:path';
import { loadavg } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startRedis } from '../stack/redis';
import { startBinanceServer } from '../stack/binance-server/server';
import { paths, temporalCli } from '../stack/tools';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { loadConfig } from '../config';
import { startRun } from '../cli/run';
import { KlineStore } from '../activities/binance/kline-store';
import { activitiesByWorker, scaleOutPipeline, startWorkers } from '../test/support/scale-out';
import type { RunState } from '../workflows/run-state';
import { benchReport } from './report';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'];
const FROM = '2023-04-03T00:00:00Z';
const TO = '2023-04-10T23:59:00Z'; // 4 symbols x 8 days: 32 one-day chunks, 46,080 bars
const SLOTS = 2;

async function main(): Promise<void> {
  const dir = path.join(paths.var, 'bench', `scale-out-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCli() }, searchAttributes: SEARCH_ATTRIBUTES, extraArgs: ['--log-level', 'error'] },
  });
  const redisProc = await startRedis({ dir: path.join(dir, 'redis') });
  const redis = new Redis(redisProc.url);
  redis.on('error', () => undefined); // reconnects by itself (a loaded machine can time a connect out)
  const binance = await startBinanceServer({ weightLimit: 1_000_000, latencyMs: 100, preload: true });
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(paths.root, 'workflows', 'index.ts'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never });
  const bundle = path.join(dir, 'workflows.js');
  writeFileSync(bundle, code);
  const client = new Client({ connection: env.connection as never });
  const report = benchReport('scale-out');
  const rates = new Map<number, number>();
  try {
    for (const n of [1, 2, 3]) {
      await redis.flushall();
      const config = { ...loadConfig({}), temporalAddress: env.connection.options.address, taskQueue: `scale-${n}-${randomUUID().slice(0, 6)}`, redisUrl: redisProc.url, binanceBaseUrl: binance.url, dataDir: path.join(dir, `data-${n}`) };
      const workers = await startWorkers(n, config, bundle, SLOTS);
      try {
        const load = loadavg()[0];
        const started = performance.now();
        const handle = await startRun(client, config, scaleOutPipeline, { params: { symbols: SYMBOLS, from: FROM, to: TO } });
        const state = (await handle.result()) as RunState;
        const seconds = (performance.now() - started) / 1000;
        if (state.status !== 'succeeded') throw new Error(`run ${state.status}`);
        let bars = 0;
        for (const s of SYMBOLS) bars += (await new KlineStore(redis).range(s, '1m', Date.parse(FROM), Date.parse(TO))).length;
        const rate = bars / seconds;
        rates.set(n, rate);
        const by = await activitiesByWorker(client, handle);
        console.log(`${n} worker(s): ${bars} klines in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} klines/s; chunks per worker ${[...by.values()].join('/')} (load ${load.toFixed(1)})`);
        report.figure({
          name: `${n} worker(s) x ${SLOTS} activities, ${SYMBOLS.length} symbols x 8 days of 1m`,
          value: rate,
          unit: 'klines/s',
          ...(n > 1 ? { baseline: { name: '1 worker', value: rates.get(1)! }, ratio: rate / rates.get(1)! } : {}),
        });
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    }
    const one = rates.get(1)!;
    const ratios = [2, 3].map((n) => `${n} workers ${(rates.get(n)! / one).toFixed(2)}x`);
    console.log(`\nthroughput vs 1 worker (${one.toFixed(0)} klines/s): ${ratios.join(', ')}; load now ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    report.note(`workers are processes on this machine (${SLOTS} activities each); the local Binance server adds 100 ms per request, weight limit raised`);
    report.done();
  } finally {
    redis.disconnect();
    await binance.close();
    await redisProc.stop();
    await env.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
