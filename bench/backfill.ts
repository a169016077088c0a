// Backfill throughput against the local Binance-compatible server, as a fraction of what the
// weight limit allows; the same backfill through the bulk archives (data.binance.vision layout)
// against Binance's REST maximum (target ≥ 20×, i.e. 1,000,000 klines/s end to end into Redis);
// and the Redis store's write rate alone.
//   npx tsx bench/backfill.ts [--archives-only | --months-only]
// Binance allows 6000 weight per minute and a klines call costs 2: at most 3000 calls × 1000
// klines per minute = 50,000 klines/s. Here the limit is scaled to 600 weight per 6 s (the same
// rate on a 10× shorter window, so the run sees several windows) and every request gets 50 ms of
// added latency. Jobs mirror a workflow: (symbol, interval, contiguous range) backfills, eight at
// a time in one process (the pipelines' concurrency), sharing one weight budget.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { spawn } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { startRedis } from '../stack/redis';
import { paths, redisServer } from '../stack/tools';
import { freePort, waitForPort } from '../stack/ports';
import { backfillKlines, type BackfillResult } from '../activities/binance/backfill';
import { sharedBudget } from '../activities/binance/weight-budget';
import { KlineStore } from '../activities/binance/kline-store';
import { localContext } from '../activities/context';
import { klineFile, readKlinesCsv } from '../activities/binance/kline-csv';
import type { Kline } from '../activities/binance/kline';
import { closeDecodeThreads } from '../activities/binance/archive-decode-pool';
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
// As the shipped backfill pipelines run their chunks (pipelines/nightly-backfill.yaml: concurrency 8).
const PARALLEL_JOBS = 8;
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
      await backfillKlines({ symbol: s, interval: '1m', from: '2023-04-02', to: '2023-04-02T00:10:00Z', archives: false }, ctx, deps);
    }
    await redis.flushall();
    // Start on a window boundary, with the server's weight count and stats at zero.
    await new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() % WINDOW_MS)));
    await admin('reset');

    const jobs = INTERVALS.flatMap((interval) => RANGES.map(([symbol, from, to]) => ({ symbol, interval, from, to, concurrency: PAGES_IN_FLIGHT_PER_JOB, archives: false })));
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

// A long archive backfill (years × symbols) is whole calendar months: one monthly archive per
// (symbol, month) job, as a month-aligned chunking fans it out. These are the months of the
// shipped data with at least 40,000 of their ~44,000 minutes; what our copy lacks of them (a day
// or two at an edge, exchange maintenance) REST fills and records as gaps, inside the timing.
const MONTHS: [string, string][] = [
  ['BTCUSDT', '2021-04'], ['BTCUSDT', '2023-01'], ['BTCUSDT', '2023-04'], ['BTCUSDT', '2024-12'], ['BTCUSDT', '2025-06'],
  ['ETHUSDT', '2021-04'], ['ETHUSDT', '2023-04'], ['ETHUSDT', '2025-06'],
  ['SOLUSDT', '2023-01'], ['SOLUSDT', '2023-04'],
  ['XRPUSDT', '2021-04'], ['XRPUSDT', '2023-01'], ['XRPUSDT', '2023-04'],
];
// Copies of the month jobs, each into its own Redis database: 39 month jobs, PARALLEL_JOBS (8) at
// a time, as in a steady long backfill (no idle lanes between passes).
const MONTH_COPIES = 3;

const monthJob = ([symbol, month]: [string, string]) => {
  const from = Date.parse(`${month}-01T00:00:00Z`);
  const d = new Date(from);
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 60_000;
  return { symbol, interval: '1m', from: new Date(from).toISOString(), to: new Date(to).toISOString(), concurrency: 4 };
};

/** CPU time (ms) of this process's main thread and of all its other threads (decode threads, V8's GC helpers, libuv). */
function threadCpuMs(): { main: number; others: number } {
  const out = { main: 0, others: 0 };
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
      if (Number(tid) === process.pid) out.main += ms;
      else out.others += ms;
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
const CLOCK_TICKS = 100; // USER_HZ on Linux

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  return 1000 * info.split('\n').filter((l) => /^used_cpu_(sys|user):/.test(l)).reduce((n, l) => n + Number(l.split(':')[1]), 0);
}

/**
 * Backfills through the archives (past days: monthly/daily zips, sha256-checked) with 50 ms added
 * latency per request, PARALLEL_JOBS jobs at a time; job k of copy c goes to Redis database c.
 * The server has built every archive before the clock starts (the archive host serves static files).
 */
async function benchArchives(redisUrl: string, jobs: ReturnType<typeof monthJob>[], copies: number) {
  const server = await startServerProcess('--preload-archives');
  const admin = async (what: 'stats' | 'reset') => (await fetch(`${server.url}/_local/${what}`)).json();
  const dbs = Array.from({ length: copies }, (_, c) => new Redis(redisUrl, { db: c }));
  try {
    const ctx = localContext({ quiet: true });
    const config = { binanceBaseUrl: server.url };
    // Warm the code paths (JIT, decode threads) outside the measurement.
    await backfillKlines({ symbol: 'BTCUSDT', interval: '1m', from: '2023-04-02', to: '2023-04-03T23:59:00Z' }, ctx, { redis: dbs[0], config });
    await backfillKlines(monthJob(['ETHUSDT', '2023-04']), ctx, { redis: dbs[0], config });
    await dbs[0].flushall();
    await admin('reset');
    const work = Array.from({ length: copies }, (_, c) => jobs.map((job) => ({ job, redis: dbs[c] }))).flat();
    const results: BackfillResult[] = [];
    const serverCpu0 = (await admin('stats')).cpuMs;
    const redisCpu0 = await redisCpuMs(dbs[0]);
    const cpu0 = process.cpuUsage();
    const threads0 = threadCpuMs();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL_JOBS }, async () => {
        while (next < work.length) {
          const { job, redis } = work[next++];
          results.push(await backfillKlines(job, ctx, { redis, config }));
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const threads1 = threadCpuMs();
    const redisCpuMsUsed = (await redisCpuMs(dbs[0])) - redisCpu0;
    const stats = await admin('stats');
    const fetched = results.reduce((n, r) => n + r.fetched, 0);
    for (const db of dbs) await db.flushdb();
    return {
      elapsedS, fetched, stats,
      archives: results.reduce((n, r) => n + r.archives, 0),
      pages: results.reduce((n, r) => n + r.pages, 0),
      gapBars: results.reduce((n, r) => n + r.gapBars, 0),
      complete: results.every((r) => r.complete),
      clientCpuMs: (cpu.user + cpu.system) / 1000,
      mainThreadCpuMs: threads1.main - threads0.main,
      otherThreadsCpuMs: threads1.others - threads0.others,
      serverCpuMs: stats.cpuMs - serverCpu0,
      redisCpuMs: redisCpuMsUsed,
    };
  } finally {
    for (const db of dbs) db.disconnect();
    await server.stop();
  }
}

/**
 * What Redis alone takes in on this machine, the ceiling of any path that ends in it: one day of
 * 1m records (1440 × 80 bytes) per SET, pipelined, (1) from redis-benchmark (C client, 4
 * connections, 8 in flight each) and (2) from ioredis on this event loop, 4 pipelines of 8 in
 * flight, into distinct keys. Same redis-server (AOF on, as the store runs) as the backfills.
 */
async function benchRedisCeiling(redis: Redis, port: number) {
  const DAY_BYTES = 1440 * 80;
  const cpu0 = await redisCpuMs(redis);
  let benchmark: { klinesPerS: number; redisCpuPerKlineUs: number } | undefined;
  const tool = path.join(path.dirname(redisServer()), 'redis-benchmark');
  if (existsSync(tool)) {
    const requests = 2000;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(tool, ['-h', '127.0.0.1', '-p', String(port), '-t', 'set', '-d', String(DAY_BYTES), '-n', String(requests), '-c', '4', '-P', '8', '-r', '100', '--csv'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`redis-benchmark exited ${code}`))));
    });
    const rps = Number(/"SET","([\d.]+)"/.exec(out)?.[1]);
    if (!(rps > 0)) throw new Error(`redis-benchmark printed no SET rate: ${out}`);
    benchmark = { klinesPerS: rps * 1440, redisCpuPerKlineUs: (1000 * ((await redisCpuMs(redis)) - cpu0)) / (requests * 1440) };
  }
  await redis.flushall();
  const day = Buffer.alloc(DAY_BYTES, 7);
  const days = 1200; // 1.7 M klines, as many as the whole-month run
  const cpuR = await redisCpuMs(redis);
  const cpuC = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < days) {
        const pipe = redis.pipeline();
        for (let k = 0; k < 8 && next < days; k++) pipe.set(`ceiling:${next++}`, day);
        for (const [err] of (await pipe.exec())!) if (err) throw err;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const c = process.cpuUsage(cpuC);
  const klines = days * 1440;
  const ioredis = { klinesPerS: klines / elapsedS, clientCpuPerKlineUs: (c.user + c.system) / klines, redisCpuPerKlineUs: (1000 * ((await redisCpuMs(redis)) - cpuR)) / klines };
  await redis.flushall();
  return { benchmark, ioredis };
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
    const binanceRest = { name: "Binance's REST maximum (6000 weight/min → 50,000 klines/s)", value: BINANCE_MAX_KLINES_PER_S };
    const printArchives = (title: string, a: Awaited<ReturnType<typeof benchArchives>>) => {
      const rate = a.fetched / a.elapsedS;
      console.log(`\n${title}\n`);
      console.log('| metric | value |');
      console.log('|---|---:|');
      console.log(`| klines stored | ${fmt(a.fetched)} (complete: ${a.complete}; gap bars recorded: ${fmt(a.gapBars)}) |`);
      console.log(`| archives used / REST pages | ${fmt(a.archives)} / ${fmt(a.pages)} |`);
      console.log(`| elapsed | ${fmt(a.elapsedS, 2)} s |`);
      console.log(`| **throughput end to end into Redis** | **${fmt(rate)} klines/s** |`);
      console.log(`| × Binance's REST maximum (${fmt(BINANCE_MAX_KLINES_PER_S)} klines/s; target ≥ 20×) | ${fmt(rate / BINANCE_MAX_KLINES_PER_S, 1)}× |`);
      console.log(`| bytes of zip downloaded | ${fmt(a.stats.archiveBytes / 2 ** 20, 1)} MiB |`);
      console.log(`| CPU per 1000 klines: client (all threads) / server / redis-server | ${fmt((1000 * a.clientCpuMs) / a.fetched, 3)} ms / ${fmt((1000 * a.serverCpuMs) / a.fetched, 3)} ms / ${fmt((1000 * a.redisCpuMs) / a.fetched, 3)} ms |`);
      console.log(`| client CPU per 1000 klines: main thread (HTTP, coverage, REST) / other threads (decode + store write, GC helpers) | ${fmt((1000 * a.mainThreadCpuMs) / a.fetched, 3)} ms / ${fmt((1000 * a.otherThreadsCpuMs) / a.fetched, 3)} ms |`);
      console.log(`| klines per CPU-second, all three processes | ${fmt((1000 * a.fetched) / (a.clientCpuMs + a.serverCpuMs + a.redisCpuMs))} |`);
      console.log(`| machine load average (1 min) / CPUs | ${fmt(loadavg()[0], 1)} / ${cpus().length} |`);
      return rate;
    };
    const a = await benchArchives(redisProc.url, MONTHS.map(monthJob), MONTH_COPIES);
    const archiveRate = printArchives(`Archives, whole months: ${MONTHS.length} (symbol, month) jobs × ${MONTH_COPIES} copies (one Redis database each), ${PARALLEL_JOBS} jobs at a time, +${LATENCY_MS} ms per request`, a);
    report.figure({ name: `archive backfill end to end into Redis, whole months, ${fmt(a.fetched)} klines`, value: archiveRate, unit: 'klines/s', baseline: binanceRest, ratio: archiveRate / BINANCE_MAX_KLINES_PER_S, target: '≥ 20×', met: archiveRate >= 20 * BINANCE_MAX_KLINES_PER_S && a.complete });
    const monthsPerCpuS = (1000 * a.fetched) / (a.clientCpuMs + a.serverCpuMs + a.redisCpuMs);
    report.figure({ name: 'archive backfill, whole months, klines per CPU-second (client + server + redis-server)', value: monthsPerCpuS, unit: 'klines/s', baseline: binanceRest, ratio: monthsPerCpuS / BINANCE_MAX_KLINES_PER_S });
    report.figure({ name: 'archive backfill, whole months, CPU per 1000 klines (client + server + redis-server)', value: (1000 * (a.clientCpuMs + a.serverCpuMs + a.redisCpuMs)) / a.fetched, unit: 'ms' });

    const ceiling = await benchRedisCeiling(redis, redisProc.port);
    console.log(`\nRedis alone (the ceiling of any path into it): SET of one day of 1m records (115,200 bytes), pipelined\n`);
    console.log('| writer | klines/s | × Binance REST max | redis-server CPU per 1000 klines |');
    console.log('|---|---:|---:|---:|');
    if (ceiling.benchmark) console.log(`| redis-benchmark (C), 4 connections × 8 in flight | ${fmt(ceiling.benchmark.klinesPerS)} | ${fmt(ceiling.benchmark.klinesPerS / BINANCE_MAX_KLINES_PER_S, 1)}× | ${fmt(ceiling.benchmark.redisCpuPerKlineUs, 3)} ms |`);
    console.log(`| ioredis from this process, 4 pipelines × 8 | ${fmt(ceiling.ioredis.klinesPerS)} | ${fmt(ceiling.ioredis.klinesPerS / BINANCE_MAX_KLINES_PER_S, 1)}× | ${fmt(ceiling.ioredis.redisCpuPerKlineUs, 3)} ms (client ${fmt(ceiling.ioredis.clientCpuPerKlineUs, 3)} ms) |`);
    console.log(`| machine load average (1 min) / CPUs | ${fmt(loadavg()[0], 1)} / ${cpus().length} | | |`);
    if (ceiling.benchmark) {
      report.figure({ name: 'Redis ceiling: redis-benchmark SET of a day of records, pipelined', value: ceiling.benchmark.klinesPerS, unit: 'klines/s', baseline: binanceRest, ratio: ceiling.benchmark.klinesPerS / BINANCE_MAX_KLINES_PER_S });
      report.figure({ name: 'archive backfill (whole months) vs the redis-benchmark ceiling', value: archiveRate, unit: 'klines/s', baseline: { name: 'redis-benchmark SET ceiling, this run', value: ceiling.benchmark.klinesPerS }, ratio: archiveRate / ceiling.benchmark.klinesPerS });
    } else report.note('redis-benchmark not found next to redis-server: its ceiling figure is left out');
    report.figure({ name: 'Redis ceiling: ioredis pipelined SET of a day of records', value: ceiling.ioredis.klinesPerS, unit: 'klines/s', baseline: binanceRest, ratio: ceiling.ioredis.klinesPerS / BINANCE_MAX_KLINES_PER_S });
    if (process.argv.includes('--months-only')) {
      report.done();
      return;
    }
    // The old shape, kept for comparison: ranges that start and end mid-month, so mostly daily archives.
    const u = await benchArchives(redisProc.url, INTERVALS.flatMap((interval) => RANGES.map(([symbol, from, to]) => ({ symbol, interval, from, to, concurrency: 4 }))), 1);
    const unalignedRate = printArchives(`Archives, the ${RANGES.length} REST bench ranges (not month-aligned: mostly daily archives), ${PARALLEL_JOBS} jobs at a time, 4 archives in flight each, +${LATENCY_MS} ms per request`, u);
    report.figure({ name: `archive backfill, unaligned ranges (mostly daily archives), ${fmt(u.fetched)} klines`, value: unalignedRate, unit: 'klines/s', baseline: binanceRest, ratio: unalignedRate / BINANCE_MAX_KLINES_PER_S });
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
    console.log(`| machine load average (1 min) / CPUs | ${fmt(loadavg()[0], 1)} / ${cpus().length} |`);

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
    await closeDecodeThreads();
    await redisProc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
