// Faults on the real stack (worker processes, redis-server with AOF, Temporal dev servers, the
// local Binance-compatible server with real klines), one scenario per test, and a table at the
// end: fault, times injected, outcome, data check.
//   kill -9 of the worker 5 times at random moments of a multi-symbol, multi-month backfill, once
//   over REST only and once through the bulk archives (the default path for past days)
//   a Redis restart during a trade archive and during a backfill
//   the Temporal dev server stopped mid-run and started again on the same SQLite file
// Sized to take a few minutes on a loaded 2-core machine: 2 symbols x 14 days of 1m bars.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { startRedis, type RedisProcess } from '../../stack/redis';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { backfillPipelineYaml, compileYaml } from '../support/pipelines';
import { devServer, type DevServer } from '../support/dev-server';
import { startRun } from '../../cli/run';
import { loadConfig, type Config } from '../../config';
import { paths } from '../../stack/tools';
import { KlineStore } from '../../activities/binance/kline-store';
import { klineFile, readKlinesCsv } from '../../activities/binance/kline-csv';
import type { Kline } from '../../activities/binance/kline';
import { importTrades } from '../../activities/trades/import';
import { mulberry32 } from '../../lib/mulberry32';
import type { RunState } from '../../workflows/run-state';
import { statusQuery } from '../../workflows/messages';
import Redis from 'ioredis';

interface Row {
  fault: string;
  injected: number;
  outcome: string;
  data: string;
}
const table: Row[] = [];

const dir = path.join(paths.var, 'test', `faults-${randomUUID().slice(0, 8)}`);
const source = new Map<string, Kline[]>();
let redis: RedisProcess;
let redisClient: Redis;
let binance: BinanceServer;
let connection: Connection;
let client: Client;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis({ dir: path.join(dir, 'redis') });
  redisClient = new Redis(redis.url, { maxRetriesPerRequest: null });
  redisClient.on('error', () => undefined);
  binance = await startBinanceServer();
  // Parse the kline files before any run: a first request can take seconds on a loaded machine.
  for (const s of ['BTCUSDT', 'ETHUSDT']) await fetch(`${binance.url}/api/v3/klines?symbol=${s}&interval=1m&limit=1`).then((r) => r.arrayBuffer());
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  for (const s of ['BTCUSDT', 'ETHUSDT']) source.set(s, readKlinesCsv(klineFile(s)));
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  redisClient?.disconnect();
  await connection?.close();
  await binance?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
  const w = [24, 6, 44, 50];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  console.log(
    ['', 'fault suite', line(['fault', 'times', 'outcome', 'data check']), line(w.map((n) => '-'.repeat(n))),
      ...table.map((r) => line([r.fault, String(r.injected), r.outcome, r.data]))].join('\n'),
  );
}, 60_000);

function config(temporalAddress = inject('temporalAddress')): Config {
  const queue = `faults-${randomUUID().slice(0, 8)}`;
  return { ...loadConfig({}), temporalAddress, taskQueue: queue, redisUrl: redis.url, binanceBaseUrl: binance.url, dataDir: path.join(dir, queue) };
}

function worker(cfg: Config): WorkerProcess {
  const w = spawnWorker(cfg, inject('workflowBundlePath'));
  workers.push(w);
  return w;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The run's result, polling (a client connection may be down for a while in these tests). */
async function outcome(handle: WorkflowHandle, timeoutMs = 240_000): Promise<RunState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const d = await handle.describe();
      if (d.status.name === 'COMPLETED') return (await handle.result()) as RunState;
      if (d.status.name !== 'RUNNING') throw new Error(`run ended ${d.status.name}`);
    } catch (e) {
      if ((e as Error).message.startsWith('run ended')) throw e;
    }
    if (Date.now() > deadline) throw new Error('run did not complete in time');
    await sleep(300);
  }
}

async function maxAttempt(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return Math.max(1, ...history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1));
}

/** The store equals the exchange's data (the CSV) over [from, to]: same bars, same values, in order. */
async function storeEqualsSource(symbol: string, from: string, to: string): Promise<number> {
  const a = Date.parse(from);
  const b = Date.parse(to);
  const stored = await new KlineStore(redisClient).range(symbol, '1m', a, b);
  const expected = source.get(symbol)!.filter((k) => k.openTime >= a && k.openTime <= b);
  expect(stored.length, `${symbol} bars`).toBe(expected.length);
  expect(stored, `${symbol} bars`).toEqual(expected);
  return stored.length;
}

// archives: false pins REST (pages of 1000 bars); true is the default path: daily archives for
// past days, REST for what they lack.
const backfillYaml = (name: string, heartbeat: string, archives: boolean) =>
  backfillPipelineYaml({ name, barsPerChunk: 10080, concurrency: 1, archives, maxAttempts: 20, heartbeat });

describe('fault suite', () => {
  it('kill -9 of the worker 5 times at random moments of a 2-symbol, 2-month REST backfill: completes, store equals source, at most one page again per kill', async () => {
    const cfg = config();
    await redisClient.flushall();
    binance.setOptions({ latencyMs: 120 });
    binance.resetStats();
    const from = '2023-03-24T00:00:00Z';
    const to = '2023-04-06T23:59:00Z'; // 14 days x 2 symbols = 40,320 bars (the BTC halt: 80 fewer)
    let current = worker(cfg);
    const handle = await startRun(client, cfg, compileYaml(backfillYaml('faults-kill9', '10s', false)), { params: { symbols: ['BTCUSDT', 'ETHUSDT'], from, to } });
    const random = mulberry32(13);
    const kills: number[] = [];
    for (let i = 0; i < 5; i++) {
      // A random moment: after 2 to 6 more pages of this worker.
      const at = binance.stats.klinesRequests + 2 + Math.floor(random() * 5);
      await until(`page ${at}`, async () => binance.stats.klinesRequests >= at || (await handle.describe()).status.name !== 'RUNNING');
      if ((await handle.describe()).status.name !== 'RUNNING') break;
      await sleep(random() * 120);
      await current.crash();
      kills.push(binance.stats.klinesRequests);
      current = worker(cfg);
    }
    const state = await outcome(handle);
    binance.setOptions({ latencyMs: 0 });
    expect(kills).toHaveLength(5);
    expect(state.status).toBe('succeeded');
    const bars = (await storeEqualsSource('BTCUSDT', from, to)) + (await storeEqualsSource('ETHUSDT', from, to));
    // Everything the exchange sent: the range once, plus at most the one page in flight per kill.
    const extraPages = (binance.stats.klinesRows - bars) / 1000;
    expect(binance.stats.klinesRows).toBeLessThanOrEqual(bars + 5 * 1000);
    expect(await maxAttempt(handle)).toBeGreaterThanOrEqual(2);
    table.push({ fault: 'kill -9 worker (REST)', injected: kills.length, outcome: `completed, ${await maxAttempt(handle)} attempts max`, data: `store = source (${bars} bars); ${extraPages.toFixed(2)} pages again` });
  }, 300_000);

  it('kill -9 of the worker 5 times at random moments of the same backfill through the bulk archives: completes, store equals source, at most one archive again per kill', async () => {
    const cfg = config();
    await redisClient.flushall();
    binance.setOptions({ latencyMs: 250 }); // archives are served with the same added latency
    binance.resetStats();
    const from = '2023-03-24T00:00:00Z';
    const to = '2023-04-06T23:59:00Z'; // 2 symbols x 14 days: 28 daily archives, one at a time
    const archivesNeeded = 28;
    let current = worker(cfg);
    const handle = await startRun(client, cfg, compileYaml(backfillYaml('faults-kill9-archives', '10s', true)), { params: { symbols: ['BTCUSDT', 'ETHUSDT'], from, to } });
    const random = mulberry32(17);
    const kills: number[] = [];
    for (let i = 0; i < 5; i++) {
      // A random moment: after 1 to 3 more archives of this worker, then up to 250 ms.
      const at = binance.stats.archiveFiles + 1 + Math.floor(random() * 3);
      await until(`archive ${at}`, async () => binance.stats.archiveFiles >= at || (await handle.describe()).status.name !== 'RUNNING');
      if ((await handle.describe()).status.name !== 'RUNNING') break;
      await sleep(random() * 250);
      await current.crash();
      kills.push(binance.stats.archiveFiles);
      current = worker(cfg);
    }
    const state = await outcome(handle);
    binance.setOptions({ latencyMs: 0 });
    expect(kills).toHaveLength(5);
    expect(state.status).toBe('succeeded');
    const bars = (await storeEqualsSource('BTCUSDT', from, to)) + (await storeEqualsSource('ETHUSDT', from, to));
    // Every day's archive once, plus at most the one in flight per kill. REST only for what the
    // archives lack (the BTC halt of 2023-03-24 is a hole in its day's archive, recorded as a gap
    // over REST): no REST page of bars the archives hold.
    const again = binance.stats.archiveFiles - archivesNeeded;
    expect(binance.stats.archiveFiles).toBeGreaterThanOrEqual(archivesNeeded);
    expect(binance.stats.archiveFiles).toBeLessThanOrEqual(archivesNeeded + 5);
    expect(binance.stats.klinesRows).toBeLessThanOrEqual(5 * 1000);
    expect(await maxAttempt(handle)).toBeGreaterThanOrEqual(2);
    const outputs = state.stages.backfill.outputs as Array<{ archives: number; gapBars: number }>;
    const gapBars = outputs.reduce((n, o) => n + o.gapBars, 0);
    expect(gapBars).toBe(2 * 14 * 1440 - bars);
    table.push({
      fault: 'kill -9 worker (archives)',
      injected: kills.length,
      outcome: `completed, ${await maxAttempt(handle)} attempts max`,
      data: `store = source (${bars} bars); ${again} archives again; REST ${binance.stats.klinesRequests} req, ${binance.stats.klinesRows} rows`,
    });
  }, 300_000);

  it('Redis restarted during a backfill: nothing lost (AOF), the stage retries or waits, the run completes', async () => {
    const cfg = config();
    await redisClient.flushall();
    binance.setOptions({ latencyMs: 150 });
    worker(cfg);
    const from = '2023-04-10T00:00:00Z';
    const to = '2023-04-13T23:59:00Z';
    const handle = await startRun(client, cfg, compileYaml(backfillYaml('faults-redis-backfill', '10s', false)), { params: { symbols: ['ETHUSDT'], from, to } });
    const store = new KlineStore(redisClient);
    await until('3 pages stored', async () => (await store.range('ETHUSDT', '1m', Date.parse(from), Date.parse(to)).catch(() => [])).length >= 3000);
    const before = (await store.range('ETHUSDT', '1m', Date.parse(from), Date.parse(to))).length;
    await redis.stop();
    await sleep(2000);
    await redis.restart();
    const after = (await store.range('ETHUSDT', '1m', Date.parse(from), Date.parse(to))).length;
    expect(after).toBeGreaterThanOrEqual(before); // the AOF kept every bar written before the restart
    const state = await outcome(handle);
    binance.setOptions({ latencyMs: 0 });
    expect(state.status).toBe('succeeded');
    const bars = await storeEqualsSource('ETHUSDT', from, to);
    table.push({ fault: 'Redis restart (backfill)', injected: 1, outcome: `completed, ${await maxAttempt(handle)} attempts max`, data: `${before} bars kept across restart; store = source (${bars})` });
  }, 180_000);

  it('Redis restarted during a trade archive: nothing lost (AOF), every day archived with the right count', async () => {
    const cfg = config();
    await redisClient.flushall();
    const file = path.join(paths.root, 'data/trades/simulated-2023-04.jsonl');
    const imported = await importTrades(file, { redis: redisClient, dataDir: cfg.dataDir });
    const trades = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { exit_time_ms: number });
    const perDay = new Map<string, number>();
    for (const t of trades) {
      const day = new Date(t.exit_time_ms).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const days = Array.from({ length: 30 }, (_, i) => `2023-04-${String(i + 1).padStart(2, '0')}`);
    worker(cfg);
    const archive = compileYaml(`name: faults-archive
params:
  days: { type: array, items: string }
stages:
  archive:
    uses: trades.archiveDay
    forEach: "\${{ params.days }}"
    concurrency: 1
    with: { day: "\${{ item }}" }
    retry: { maxAttempts: 20, initialInterval: 200ms, maxInterval: 2s }
    timeout: { startToClose: 2m, heartbeat: 20s }
`);
    const length = await redisClient.xlen('trade.closed');
    const handle = await startRun(client, cfg, archive, { params: { days } });
    await until('a few days archived', async () => ((await handle.query(statusQuery).catch(() => undefined)) as RunState | undefined)?.stages.archive?.items?.done! >= 3);
    await redis.stop();
    await sleep(2000);
    await redis.restart();
    expect(await redisClient.xlen('trade.closed')).toBe(length);
    const state = await outcome(handle);
    expect(state.status).toBe('succeeded');
    const results = state.stages.archive.outputs as Array<{ day: string; count: number; status: string }>;
    expect(results.map((r) => r.day)).toEqual(days);
    for (const r of results) expect(r.count, r.day).toBe(perDay.get(r.day) ?? 0);
    const archived = results.reduce((n, r) => n + r.count, 0);
    expect(archived).toBe([...perDay.entries()].filter(([d]) => d.startsWith('2023-04')).reduce((n, [, c]) => n + c, 0));
    table.push({ fault: 'Redis restart (archive)', injected: 1, outcome: `completed, ${await maxAttempt(handle)} attempts max`, data: `stream ${length} entries kept (${imported.imported} imported); ${archived} trades archived, per-day counts exact` });
  }, 180_000);

  it('the Temporal dev server stopped mid-run and started again on the same SQLite file: the run continues and completes', async () => {
    const server: DevServer = await devServer(path.join(dir, 'temporal'));
    await server.start();
    const cfg = config(server.address);
    await redisClient.flushall();
    binance.setOptions({ latencyMs: 150 });
    const own = await Connection.connect({ address: server.address });
    const ownClient = new Client({ connection: own });
    try {
      worker(cfg);
      const from = '2023-04-20T00:00:00Z';
      const to = '2023-04-23T23:59:00Z';
      const handle = await startRun(ownClient, cfg, compileYaml(backfillYaml('faults-temporal-restart', '10s', false)), { params: { symbols: ['BTCUSDT'], from, to } });
      const store = new KlineStore(redisClient);
      await until('2 pages stored', async () => (await store.range('BTCUSDT', '1m', Date.parse(from), Date.parse(to))).length >= 2000);
      const runId = (await handle.describe()).runId;
      await server.stop();
      await sleep(3000);
      await server.start();
      const state = await outcome(handle);
      binance.setOptions({ latencyMs: 0 });
      expect(state.status).toBe('succeeded');
      expect((await handle.describe()).runId).toBe(runId);
      const bars = await storeEqualsSource('BTCUSDT', from, to);
      table.push({ fault: 'Temporal server restart', injected: 1, outcome: `same run completed, ${await maxAttempt(handle)} attempts max`, data: `store = source (${bars} bars)` });
    } finally {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await own.close();
      await server.stop();
    }
  }, 240_000);
});
