// Backfill throughput against the local Binance-compatible server, as a fraction of what the
// weight limit allows; the same backfill through the bulk archives (data.binance.vision layout)
// against Binance's REST maximum (target ≥ 20×, i.e. 1,000,000 klines/s end to end into Redis);
// and the Redis store's write rate alone.
//   npx tsx bench/backfill.ts [--archives-only]
// Binance allows 6000 weight per minute and a klines call costs 2: at most 3000 calls × 1000
// klines per minute = 50,000 klines/s. Here the limit is scaled to 600 weight per 6 s (the same
// rate on a 10× shorter window, so the run sees several windows) and every request gets 50 ms of
// added latency. Jobs mirror a workflow: (symbol, interval, contiguous range) backfills, four at
// a time in one process, sharing one weight budget.
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { startRedis } from '../stack/redis';
import { paths } from '../stack/tools';
import { freePort, waitForPort } from '../stack/ports';
import { backfillKlines, type BackfillResult } from '../activities/binance/backfill';
import { sharedBudget } from '../activities/binance/weight-budget';
import { KlineStore } from '../activities/binance/kline-store';
import { localContext } from '../activities/context';
import { klineFile, readKlinesCsv } from '../activities/binance/kline-csv';
import type { Kline } from '../activities/binance/kline';
import { benchReport } from './report';

const LATENCY_MS = 50;
const WEIGHT_LIMIT = 600;
const WINDOW_MS = 6000;
const KLINES_WEIGHT = 2;
const MAX_KLINES_PER_S = ((WEIGHT_LIMIT / KLINES_WEIGHT) * 1000) / (WINDOW_MS / 1000);
const BINANCE_MAX_KLINES_PER_S = ((6000 / KLINES_WEIGHT) * 1000) / 60;

// Contiguous spans of the shipped data (data/klines, see ../shared/data/PROVENANCE.md).
const RANGES: [string, string, string][] = [
  ['BTCUSDT', '2023-03-24T14:00', '2023-05-01T21:00'],
  ['BTCUSDT', '2023-01-01T00:00', '2023-01-28T18:39'],
  ['BTCUSDT', '2024-11-30T23:00', '2024-12-29T23:00'],
  ['BTCUSDT', '2025-06-01T17:23', '2025-07-01T17:30'],
  ['ETHUSDT', '2023-03-24T14:00', '2023-05-01T21:00'],
  ['ETHUSDT', '2025-06-01T17:23', '2025-07-01T17:30'],
  ['ETHUSDT', '2021-04-25T08:45', '2021-05-14T20:26'],
  ['SOLUSDT', '2023-03-24T14:00', '2023-05-01T21:00'],
  ['SOLUSDT', '2023-01-01T00:00', '2023-01-28T18:39'],
  ['XRPUSDT', '2023-04-01T21:03', '2023-05-01T21:00'],
  ['XRPUSDT', '2023-01-01T00:00', '2023-01-28T18:39'],
  ['XRPUSDT', '2021-04-25T08:45', '2021-05-14T20:26'],
];
const INTERVALS = ['1m'];
// The same jobs again on an emptied store, so the run spans several weight windows.
const PASSES = 2;
const PARALLEL_JOBS = 4;
const PAGES_IN_FLIGHT_PER_JOB = 3;

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function startServerProcess(preload = '--preload'): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    path.join(paths.root, 'node_modules/.bin/tsx'),
    ['stack/binance-server/main.ts', '--port', String(port), '--latency-ms', String(LATENCY_MS), '--weight-limit', String(WEIGHT_LIMIT), '--weight-window-ms', String(WINDOW_MS), preload],
    { cwd: paths.root, stdio: 'ignore' },
  );
  // Building every archive at start takes a while on a loaded machine.
  await waitForPort(port, '127.0.0.1', 300_000);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function benchBackfill(redis: Redis) {
  // The exchange runs in its own process, as it would in reality.
  const server = await startServerProcess();
  const admin = async (what: 'stats' | 'reset') => (await fetch(`${server.url}/_local/${what}`)).json();
  try {
    const ctx = localContext({ quiet: true });
    const deps = { redis, config: { binanceBaseUrl: server.url } };
    // Warm the server's data cache and the client's limits outside the measurement.
    for (const s of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']) {
      await backfillKlines({ symbol: s, interval: '1m', from: '2023-04-02', to: '2023-04-02T00:10:00Z' }, ctx, deps);
    }
    await redis.flushall();
    // Start on a window boundary, with the server's weight count and stats at zero.
    await new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() % WINDOW_MS)));
    await admin('reset');

    const jobs = INTERVALS.flatMap((interval) => RANGES.map(([symbol, from, to]) => ({ symbol, interval, from, to, concurrency: PAGES_IN_FLIGHT_PER_JOB })));
    const results: BackfillResult[] = [];
    const budget = sharedBudget(server.url);
    const waits0 = budget.waits;
    const serverCpu0 = (await admin('stats')).cpuMs;
    const cpu0 = process.cpuUsage();
    const started = Date.now();
    for (let pass = 0; pass < PASSES; pass++) {
      if (pass > 0) await redis.flushall();
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL_JOBS }, async () => {
          while (next < jobs.length) results.push(await backfillKlines(jobs[next++], ctx, deps));
        }),
      );
    }
    const elapsedS = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const fetched = results.reduce((n, r) => n + r.fetched, 0);
    const stats = await admin('stats');
    return {
      elapsedS, fetched, stats, gaps: results.reduce((n, r) => n + r.gapBars, 0),
      waits: budget.waits - waits0,
      clientCpuMs: (cpu.user + cpu.system) / 1000,
      serverCpuMs: stats.cpuMs - serverCpu0,
    };
  } finally {
    await server.stop();
  }
}

/**
 * The same ranges through the archives (past days: monthly/daily zips, sha256-checked), same
 * 50 ms latency per request, the jobs 4 at a time with 4 archives in flight each; the server has
 * built every archive before the clock starts (the archive host serves static files).
 */
async function benchArchives(redis: Redis) {
  const server = await startServerProcess('--preload-archives');
  const admin = async (what: 'stats' | 'reset') => (await fetch(`${server.url}/_local/${what}`)).json();
  try {
    const ctx = localContext({ quiet: true });
    const deps = { redis, config: { binanceBaseUrl: server.url } };
    // Warm the code paths (JIT) outside the measurement.
    await backfillKlines({ symbol: 'BTCUSDT', interval: '1m', from: '2023-04-02', to: '2023-04-03T23:59:00Z' }, ctx, deps);
    await redis.flushall();
    await admin('reset');
    const jobs = INTERVALS.flatMap((interval) => RANGES.map(([symbol, from, to]) => ({ symbol, interval, from, to, concurrency: 4 })));
    const results: BackfillResult[] = [];
    const serverCpu0 = (await admin('stats')).cpuMs;
    const cpu0 = process.cpuUsage();
    let elapsedS = 0;
    for (let pass = 0; pass < PASSES; pass++) {
      await redis.flushall();
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL_JOBS }, async () => {
          while (next < jobs.length) results.push(await backfillKlines(jobs[next++], ctx, deps));
        }),
      );
      elapsedS += (performance.now() - started) / 1000;
    }
    const cpu = process.cpuUsage(cpu0);
    const stats = await admin('stats');
    const fetched = results.reduce((n, r) => n + r.fetched, 0);
    return {
      elapsedS, fetched, stats,
      archives: results.reduce((n, r) => n + r.archives, 0),
      pages: results.reduce((n, r) => n + r.pages, 0),
      complete: results.every((r) => r.complete),
      clientCpuMs: (cpu.user + cpu.system) / 1000,
      serverCpuMs: stats.cpuMs - serverCpu0,
    };
  } finally {
    await server.stop();
  }
}

async function benchStore(redis: Redis) {
  const store = new KlineStore(redis);
  const btc = readKlinesCsv(klineFile('BTCUSDT', '1m'));
  const eth = readKlinesCsv(klineFile('ETHUSDT', '1m'));
  const batches = (size: number) => {
    const out: [string, Kline[]][] = [];
    for (const [symbol, bars] of [['BTCUSDT', btc], ['ETHUSDT', eth]] as const) {
      for (let i = 0; i < bars.length; i += size) out.push([symbol, bars.slice(i, i + size)]);
    }
    return out;
  };
  const n = btc.length + eth.length;
  const run = async (size: number, inFlight: number) => {
    const work = batches(size);
    const started = Date.now();
    let next = 0;
    let written = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < work.length) {
          const [symbol, ks] = work[next++];
          written += (await store.upsert(symbol, '1m', ks)).written;
        }
      }),
    );
    return { rate: n / ((Date.now() - started) / 1000), written };
  };
  await redis.flushall();
  const fresh = await run(1000, 4);
  const again = await run(1000, 4);
  await redis.flushall();
  const bigBatches = await run(10_000, 2);
  const readStarted = Date.now();
  const read = await store.range('BTCUSDT', '1m', 0, Date.now());
  const readRate = read.length / ((Date.now() - readStarted) / 1000);
  const covStarted = Date.now();
  await store.coverage('BTCUSDT', '1m', Date.parse('2021-01-01'), Date.parse('2025-12-31'));
  const coverageMs = Date.now() - covStarted;
  return { n, fresh, again, bigBatches, read: read.length, readRate, coverageMs };
}

async function main() {
  const dir = path.join(paths.var, 'bench', `redis-backfill-${process.pid}`);
  const redisProc = await startRedis({ dir });
  const redis = new Redis(redisProc.url);
  try {
    const report = benchReport('backfill');
    const a = await benchArchives(redis);
    const archiveRate = a.fetched / a.elapsedS;
    console.log(`\nArchives: the same ${RANGES.length} ranges, +${LATENCY_MS} ms per request, ${PARALLEL_JOBS} jobs at a time, 4 archives in flight each, ${PASSES} passes (store emptied between)\n`);
    console.log('| metric | value |');
    console.log('|---|---:|');
    console.log(`| klines stored | ${fmt(a.fetched)} (complete: ${a.complete}) |`);
    console.log(`| archives used / REST pages | ${fmt(a.archives)} / ${fmt(a.pages)} |`);
    console.log(`| elapsed (sum of passes) | ${fmt(a.elapsedS, 2)} s |`);
    console.log(`| **throughput end to end into Redis** | **${fmt(archiveRate)} klines/s** |`);
    console.log(`| × Binance's REST maximum (${fmt(BINANCE_MAX_KLINES_PER_S)} klines/s; target ≥ 20×) | ${fmt(archiveRate / BINANCE_MAX_KLINES_PER_S, 1)}× |`);
    console.log(`| bytes of zip downloaded | ${fmt(a.stats.archiveBytes / 2 ** 20, 1)} MiB |`);
    console.log(`| CPU per 1000 klines: client+store / server | ${fmt((1000 * a.clientCpuMs) / a.fetched, 2)} ms / ${fmt((1000 * a.serverCpuMs) / a.fetched, 2)} ms |`);
    const binanceRest = { name: "Binance's REST maximum (6000 weight/min → 50,000 klines/s)", value: BINANCE_MAX_KLINES_PER_S };
    report.figure({ name: `archive backfill end to end into Redis, ${fmt(a.fetched)} klines`, value: archiveRate, unit: 'klines/s', baseline: binanceRest, ratio: archiveRate / BINANCE_MAX_KLINES_PER_S, target: '≥ 20×', met: archiveRate >= 20 * BINANCE_MAX_KLINES_PER_S && a.complete });
    if (process.argv.includes('--archives-only')) {
      report.done();
      return;
    }

    const b = await benchBackfill(redis);
    const rate = b.fetched / b.elapsedS;
    report.figure({ name: 'archive backfill vs the REST backfill measured in this run', value: archiveRate, unit: 'klines/s', baseline: { name: `REST backfill (limit scaled 1/10 in time, +${LATENCY_MS} ms)`, value: rate }, ratio: archiveRate / rate });
    console.log(`\nBackfill: local server, +${LATENCY_MS} ms per request, limit ${WEIGHT_LIMIT} weight per ${WINDOW_MS / 1000} s (Binance's 6000/min scaled 1/10),`);
    console.log(`${RANGES.length} ranges × ${INTERVALS.join('/')} = ${RANGES.length * INTERVALS.length} jobs, ${PARALLEL_JOBS} at a time, ${PAGES_IN_FLIGHT_PER_JOB} pages in flight each, ${PASSES} passes (store emptied between)\n`);
    console.log('| metric | value |');
    console.log('|---|---:|');
    console.log(`| klines fetched and stored | ${fmt(b.fetched)} |`);
    console.log(`| elapsed | ${fmt(b.elapsedS, 1)} s (${fmt(b.elapsedS / (WINDOW_MS / 1000), 1)} windows) |`);
    console.log(`| klines requests | ${fmt(b.stats.klinesRequests)} (${fmt(b.fetched / b.stats.klinesRequests, 0)} klines each) |`);
    console.log(`| throughput | ${fmt(rate)} klines/s |`);
    console.log(`| theoretical max (${WEIGHT_LIMIT}/${KLINES_WEIGHT} calls × 1000 klines per ${WINDOW_MS / 1000} s) | ${fmt(MAX_KLINES_PER_S)} klines/s |`);
    console.log(`| **fraction of max** (target ≥ 90%) | **${fmt((100 * rate) / MAX_KLINES_PER_S, 1)}%** |`);
    // Fixed windows allow a whole window's budget in any started window: the strictest bound.
    const startedWindows = Math.ceil(b.elapsedS / (WINDOW_MS / 1000));
    console.log(`| fraction of the fixed-window bound (${startedWindows} started windows × ${WEIGHT_LIMIT / KLINES_WEIGHT} calls × 1000) | ${fmt((100 * b.fetched) / (startedWindows * (WEIGHT_LIMIT / KLINES_WEIGHT) * 1000), 1)}% |`);
    console.log(`| HTTP 429 / 418 (target 0) | ${b.stats.status429} / ${b.stats.status418} |`);
    console.log(`| exchange gaps found (bars) | ${fmt(b.gaps)} |`);
    console.log(`| pacer sleeps (requests held back to spread the budget) | ${fmt(b.waits)} |`);
    console.log(`| CPU per 1000 klines: client+store / server | ${fmt((1000 * b.clientCpuMs) / b.fetched, 1)} ms / ${fmt((1000 * b.serverCpuMs) / b.fetched, 1)} ms |`);
    const loadAvg = (await import('node:os')).loadavg()[0];
    console.log(`| machine load average (1 min) / CPUs | ${fmt(loadAvg, 1)} / ${(await import('node:os')).cpus().length} |`);

    const s = await benchStore(redis);
    console.log(`\nStore alone (Redis, ${fmt(s.n)} real 1m klines):\n`);
    console.log('| operation | klines/s | × Binance max (50,000/s) |');
    console.log('|---|---:|---:|');
    const row = (name: string, r: number) => console.log(`| ${name} | ${fmt(r)} | ${fmt(r / BINANCE_MAX_KLINES_PER_S, 1)}× |`);
    row('upsert new, batches of 1000, 4 in flight', s.fresh.rate);
    row('upsert again (all unchanged), same batches', s.again.rate);
    row('upsert new, batches of 10,000, 2 in flight', s.bigBatches.rate);
    row(`range read (${fmt(s.read)} BTCUSDT bars)`, s.readRate);
    console.log(`\ncoverage() of 5 years of BTCUSDT 1m: ${s.coverageMs} ms; written on the second pass: ${s.again.written} (target 0)`);
    console.log(`store write target ≥ 5× Binance max: ${s.fresh.rate >= 5 * BINANCE_MAX_KLINES_PER_S ? 'met' : 'NOT met'}; backfill target ≥ 90% with zero 429s: ${rate >= 0.9 * MAX_KLINES_PER_S && b.stats.status429 === 0 ? 'met' : 'NOT met'}`);

    const max = { name: `weight budget's maximum (${WEIGHT_LIMIT}/${KLINES_WEIGHT} calls × 1000 per ${WINDOW_MS / 1000} s)`, value: MAX_KLINES_PER_S };
    report.figure({ name: `REST backfill, ${fmt(b.fetched)} klines, +${LATENCY_MS} ms latency`, value: rate, unit: 'klines/s', baseline: max, ratio: rate / MAX_KLINES_PER_S, target: '≥ 0.9× with zero 429s', met: rate >= 0.9 * MAX_KLINES_PER_S && b.stats.status429 === 0 });
    report.figure({ name: 'HTTP 429 + 418 answers', value: b.stats.status429 + b.stats.status418, unit: '', target: '0', met: b.stats.status429 + b.stats.status418 === 0 });
    const binanceMax = { name: "Binance's REST maximum (6000 weight/min)", value: BINANCE_MAX_KLINES_PER_S };
    report.figure({ name: 'store upsert, new bars, batches of 1000, 4 in flight', value: s.fresh.rate, unit: 'klines/s', baseline: binanceMax, ratio: s.fresh.rate / BINANCE_MAX_KLINES_PER_S, target: '≥ 5×', met: s.fresh.rate >= 5 * BINANCE_MAX_KLINES_PER_S });
    report.figure({ name: 'store upsert, unchanged bars', value: s.again.rate, unit: 'klines/s', baseline: binanceMax, ratio: s.again.rate / BINANCE_MAX_KLINES_PER_S, target: '0 written', met: s.again.written === 0 });
    report.figure({ name: 'store upsert, new bars, batches of 10,000, 2 in flight', value: s.bigBatches.rate, unit: 'klines/s', baseline: binanceMax, ratio: s.bigBatches.rate / BINANCE_MAX_KLINES_PER_S });
    report.figure({ name: `store range read (${fmt(s.read)} bars)`, value: s.readRate, unit: 'klines/s' });
    report.figure({ name: 'coverage() of 5 years of 1m bars', value: s.coverageMs, unit: 'ms' });
    report.done();
  } finally {
    redis.disconnect();
    await redisProc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
