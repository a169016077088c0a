// The backfill as a pipeline: a worker killed with -9 mid-backfill and a new one started
// complete it with no gap and no duplicate; a long chunked backfill continues as new and stays
// complete. Real Temporal, real Redis, the local Binance-compatible server with real klines.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it, inject, beforeAll, afterAll } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { useRedis } from '../support/redis';
import { completedRuns } from '../support/runs';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { backfillPipelineYaml, compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { loadConfig, type Config } from '../../config';
import { paths } from '../../stack/tools';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import { KlineStore } from '../../activities/binance/kline-store';
import { klineFile, readKlinesCsv } from '../../activities/binance/kline-csv';
import type { RunState } from '../../workflows/run-state';
import { compileFile } from '../../cli/compile-file';
import { deleteSchedule, scheduleId, upsertSchedule } from '../../cli/schedule';

const redis = useRedis();
let server: BinanceServer;
let client: Client;
let connection: Connection;
const workers: WorkerProcess[] = [];
const btc = readKlinesCsv(klineFile('BTCUSDT'));
const eth = readKlinesCsv(klineFile('ETHUSDT'));

function config(): Config {
  const queue = `backfill-${randomUUID().slice(0, 8)}`;
  return {
    ...loadConfig({}),
    temporalAddress: inject('temporalAddress'),
    taskQueue: queue,
    redisUrl: redis.url,
    binanceBaseUrl: server.url,
    dataDir: path.join(paths.var, 'test', queue),
    pipelinesDir: path.join(paths.root, 'pipelines'),
  };
}

beforeAll(async () => {
  server = await startBinanceServer({ latencyMs: 0 });
  // Parse the kline files now: on a loaded machine the first request of a symbol can take longer
  // than the kill test's heartbeat timeout, which would start a second attempt beside the first.
  for (const s of ['BTCUSDT', 'ETHUSDT']) await fetch(`${server.url}/api/v3/klines?symbol=${s}&interval=1m&limit=1`).then((r) => r.arrayBuffer());
  server.resetLimits();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await connection?.close();
  await server?.close();
});

const between = (ks: typeof btc, from: string, to: string) => ks.filter((k) => k.openTime >= Date.parse(from) && k.openTime <= Date.parse(to));

async function expectStoreEquals(symbol: string, source: typeof btc, from: string, to: string): Promise<void> {
  const stored = await new KlineStore(redis.client).range(symbol, '1m', Date.parse(from), Date.parse(to));
  const expected = between(source, from, to);
  expect(stored.length).toBe(expected.length);
  for (let i = 1; i < stored.length; i++) expect(stored[i].openTime).toBeGreaterThan(stored[i - 1].openTime);
  expect(stored.map((k) => k.openTime)).toEqual(expected.map((k) => k.openTime));
  expect(stored.map((k) => k.close)).toEqual(expected.map((k) => k.close));
}

const backfillYaml = (concurrency: number, archives = false) =>
  backfillPipelineYaml({ name: 'backfill-test', barsPerChunk: 43200, concurrency, archives, maxAttempts: 10, heartbeat: '8s' });

describe('backfill pipeline', () => {
  it('survives kill -9 of the worker mid-backfill: no gap, no duplicate, at most one page fetched again', async () => {
    const cfg = config();
    server.setOptions({ latencyMs: 250 });
    server.resetStats();
    const from = '2023-04-03T00:00:00Z';
    const to = '2023-04-09T23:59:00Z'; // 10,080 bars: 11 pages of at most 1000
    const first = spawnWorker(cfg, inject('workflowBundlePath'));
    workers.push(first);
    const plan = compileYaml(backfillYaml(1));
    const handle = await startRun(client, cfg, plan, { params: { symbols: ['BTCUSDT'], from, to } });
    for (let i = 0; i < 300 && server.stats.klinesRequests < 4; i++) await new Promise((r) => setTimeout(r, 100));
    expect(server.stats.klinesRequests).toBeGreaterThanOrEqual(4);
    await first.crash();
    const storedAtCrash = (await new KlineStore(redis.client).range('BTCUSDT', '1m', Date.parse(from), Date.parse(to))).length;
    const rowsAtCrash = server.stats.klinesRows;
    expect(storedAtCrash).toBeGreaterThan(0);
    expect(storedAtCrash).toBeLessThan(10_080);

    server.setOptions({ latencyMs: 0 });
    const second = spawnWorker(cfg, inject('workflowBundlePath'));
    workers.push(second);
    const state = (await handle.result()) as RunState;
    expect(state.status).toBe('succeeded');
    await expectStoreEquals('BTCUSDT', btc, from, to);
    // After the crash the exchange sent what was not stored at the crash, plus at most one page.
    // (Counting from the crash, not from the start: this process serves the klines and notices the
    // 4th request, so on a loaded machine the worker may fetch pages it never stores before the
    // kill lands.) A heartbeat timeout shorter than a loaded worker's start-up would add whole
    // re-fetches (the attempt it abandons keeps paging until its next heartbeat is refused); 2 s
    // did here, so the stage uses 8 s, room for a busy CI machine.
    expect(server.stats.klinesRows - rowsAtCrash).toBeLessThanOrEqual(10_080 - storedAtCrash + 1000);
    const history = await handle.fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt!);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('survives kill -9 mid-backfill through the archives: no gap, no duplicate, at most the archive in flight fetched again', async () => {
    const cfg = config();
    server.setOptions({ latencyMs: 250 });
    server.resetStats();
    const from = '2023-01-01T00:00:00Z';
    const to = '2023-01-27T23:59:00Z'; // 27 daily archives (January is not wanted whole), one at a time
    const first = spawnWorker(cfg, inject('workflowBundlePath'));
    workers.push(first);
    const plan = compileYaml(backfillYaml(1, true));
    const handle = await startRun(client, cfg, plan, { params: { symbols: ['BTCUSDT'], from, to } });
    for (let i = 0; i < 600 && server.stats.archiveFiles < 4; i++) await new Promise((r) => setTimeout(r, 100));
    expect(server.stats.archiveFiles).toBeGreaterThanOrEqual(4);
    await first.crash();
    const storedAtCrash = (await new KlineStore(redis.client).range('BTCUSDT', '1m', Date.parse(from), Date.parse(to))).length;
    expect(storedAtCrash).toBeGreaterThan(0);
    expect(storedAtCrash).toBeLessThan(27 * 1440);

    server.setOptions({ latencyMs: 0 });
    const second = spawnWorker(cfg, inject('workflowBundlePath'));
    workers.push(second);
    const state = (await handle.result()) as RunState;
    expect(state.status).toBe('succeeded');
    await expectStoreEquals('BTCUSDT', btc, from, to);
    // Every day's archive once, plus at most the one in flight at the crash; no REST at all. (As
    // for REST, a heartbeat timeout shorter than a loaded worker's start-up would add re-fetches.)
    expect(server.stats.archiveFiles).toBeLessThanOrEqual(27 + 1);
    expect(server.stats.klinesRequests).toBe(0);
    const history = await handle.fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt!);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('continues as new across a chunked multi-symbol backfill and stores every bar once', async () => {
    // 16 chunks are at least 48 activity events however the worker batches completions (a loaded
    // one batches many into one workflow task): a limit of 25 makes that two or more continuations.
    const cfg = config();
    server.setOptions({ latencyMs: 0 });
    const worker = spawnWorker(cfg, inject('workflowBundlePath'));
    workers.push(worker);
    const from = '2023-04-10T00:00:00Z';
    const to = '2023-04-13T23:59:00Z';
    const plan = compileYaml(backfillYaml(2));
    const handle = await startRun(client, cfg, plan, { params: { symbols: ['BTCUSDT', 'ETHUSDT'], from, to, barsPerChunk: 720 }, maxHistoryEvents: 25 });
    const state = (await handle.result()) as RunState;
    expect(state.continuedAsNew).toBeGreaterThanOrEqual(2);
    const results = state.stages.backfill.outputs as Array<{ symbol: string; chunk: number; complete: boolean }>;
    expect(results).toHaveLength(16);
    expect(results.every((r) => r.complete)).toBe(true);
    await expectStoreEquals('BTCUSDT', btc, from, to);
    await expectStoreEquals('ETHUSDT', eth, from, to);
    expect((await handle.describe()).historyLength).toBeLessThan(100);
  }, 120_000);

  it('fails at once, without retrying, when the exchange rejects the symbol', async () => {
    const cfg = config();
    const worker = spawnWorker(cfg, inject('workflowBundlePath'));
    workers.push(worker);
    const plan = compileYaml(backfillYaml(1));
    const handle = await startRun(client, cfg, plan, { params: { symbols: ['DOGEUSDT'], from: '2023-04-01', to: '2023-04-02' } });
    const err = await handle.result().then(() => undefined, (e: Error & { cause?: Error }) => e.cause?.message);
    expect(err).toMatch(/stage 'backfill' failed: BinanceRejected: .*Invalid symbol/);
    const history = await handle.fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(attempts).toEqual([1, 1]); // planBackfill, then one backfill attempt
  }, 120_000);

  it('nightly-backfill.yaml, run by its schedule for a past night, stores the previous UTC day', async () => {
    const cfg = config();
    const worker = spawnWorker(cfg, inject('workflowBundlePath'));
    workers.push(worker);
    const file = path.join(paths.root, 'pipelines', 'nightly-backfill.yaml');
    const { plan } = compileFile(file);
    await upsertSchedule(client, cfg, plan!, file);
    try {
      // One scheduled action, 2023-04-03T00:20Z: it backfills 2023-04-02.
      await client.schedule.getHandle(scheduleId(plan!)).backfill({ start: new Date('2023-04-03T00:00:00Z'), end: new Date('2023-04-03T01:00:00Z'), overlap: 'ALLOW_ALL' });
      const [state] = await completedRuns(client, 'nightly-backfill', 1);
      expect(state.logicalDate).toBe('2023-04-03T00:20:00.000Z');
      for (const [symbol, source] of [['BTCUSDT', btc], ['ETHUSDT', eth]] as const) {
        await expectStoreEquals(symbol, source, '2023-04-02T00:00:00Z', '2023-04-02T23:59:00Z');
      }
      expect((state.stages.backfill.outputs as unknown[]).length).toBe(4);
    } finally {
      await deleteSchedule(client, plan!.name);
    }
  }, 120_000);
});
