// Scale-out: three worker processes on one task queue run one 4-symbol backfill (the local
// Binance server's weight raised): the work is shared between them, and with one of them killed
// (-9) mid-run the others finish it, the store equal to the source.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import Redis from 'ioredis';
import { startRedis, type RedisProcess } from '../../stack/redis';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import type { WorkerProcess } from '../support/worker-process';
import { activitiesByWorker, scaleOutPipeline, startWorkers } from '../support/scale-out';
import { startRun } from '../../cli/run';
import { loadConfig } from '../../config';
import { paths } from '../../stack/tools';
import { KlineStore } from '../../activities/binance/kline-store';
import { klineFile, readKlinesCsv } from '../../activities/binance/kline-csv';
import type { RunState } from '../../workflows/run-state';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'];
const dir = path.join(paths.var, 'test', `scale-${randomUUID().slice(0, 8)}`);
let redis: RedisProcess;
let redisClient: Redis;
let binance: BinanceServer;
let connection: Connection;
let client: Client;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis({ dir: path.join(dir, 'redis') });
  redisClient = new Redis(redis.url);
  binance = await startBinanceServer({ weightLimit: 1_000_000, latencyMs: 100 });
  for (const s of SYMBOLS) await fetch(`${binance.url}/api/v3/klines?symbol=${s}&interval=1m&limit=1`).then((r) => r.arrayBuffer());
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  redisClient?.disconnect();
  await connection?.close();
  await binance?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('scale-out', () => {
  it('3 workers on one task queue share a 4-symbol backfill; one killed mid-run, the others complete it', async () => {
    const queue = `scale-${randomUUID().slice(0, 8)}`;
    const config = { ...loadConfig({}), temporalAddress: inject('temporalAddress'), taskQueue: queue, redisUrl: redis.url, binanceBaseUrl: binance.url, dataDir: path.join(dir, queue) };
    workers = await startWorkers(3, config, inject('workflowBundlePath'), 2);
    const from = '2023-04-03T00:00:00Z';
    const to = '2023-04-08T23:59:00Z'; // 4 symbols x 6 days: 24 chunks of one day
    const handle = await startRun(client, config, scaleOutPipeline, { params: { symbols: SYMBOLS, from, to } });
    // Kill the worker that has run the most once a quarter of the chunks are stored and two workers
    // have finished chunks (history records an attempt's worker when it ends; on a loaded machine
    // one worker can finish several chunks before the others' first).
    const store = new KlineStore(redisClient);
    const stored = async () => (await Promise.all(SYMBOLS.map((s) => store.range(s, '1m', Date.parse(from), Date.parse(to))))).reduce((n, r) => n + r.length, 0);
    let before = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      if ((await stored()) >= 6 * 1440 && (before = await activitiesByWorker(client, handle)).size >= 2) break;
      if ((await handle.describe()).status.name !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await handle.describe()).status.name, 'the run is still running at the kill').toBe('RUNNING');
    const victimIdentity = [...before.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const victim = workers.find((w) => victimIdentity?.startsWith(`${w.child.pid}@`)) ?? workers[0];
    await victim.crash();
    const state = (await handle.result()) as RunState;
    expect(state.status).toBe('succeeded');
    for (const s of SYMBOLS) {
      const csv = readKlinesCsv(klineFile(s)).filter((k) => k.openTime >= Date.parse(from) && k.openTime <= Date.parse(to));
      expect(await store.range(s, '1m', Date.parse(from), Date.parse(to)), s).toEqual(csv);
    }
    const by = await activitiesByWorker(client, handle);
    console.log(`scale-out: backfill attempts per worker ${JSON.stringify(Object.fromEntries(by))}; killed ${victim.child.pid}`);
    // Shared: at least two workers ran chunks before the kill, and the survivors finished the rest.
    expect(before.size).toBeGreaterThanOrEqual(2);
    const survivors = [...by.keys()].filter((id) => !id.startsWith(`${victim.child.pid}@`));
    expect(survivors.length).toBeGreaterThanOrEqual(1);
    expect([...by.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(24);
  }, 240_000);
});
