// Backfill throughput against the local Binance-compatible server, as a fraction of what the
// weight limit allows, and the Redis store's write rate alone.
//   npx tsx bench/backfill.ts
// Binance allows 6000 weight per minute and a klines call costs 2: at most 3000 calls × 1000
// klines per minute = 50,000 klines/s. Here the limit is scaled to 600 weight per 6 s (the same
// rate on a 10× shorter window, so the run sees several windows) and every request gets 50 ms of
// added latency. Jobs mirror a workflow: (symbol, interval, contiguous range) backfills, four at
// a time in one process, sharing one weight budget.
import { rmSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { startRedis } from '../stack/redis';
import { paths } from '../stack/tools';
import { startBinanceServer } from '../stack/binance-server/server';
import { backfillKlines, type BackfillResult } from '../activities/binance/backfill';
import { KlineStore } from '../activities/binance/kline-store';
import { localContext } from '../activities/context';
import { klineFile, readKlinesCsv } from '../activities/binance/kline-csv';

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
const INTERVALS = ['1m', '3m', '5m'];
const PARALLEL_JOBS = 4;
const PAGES_IN_FLIGHT_PER_JOB = 2;

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function benchBackfill(redis: Redis) {
  const server = await startBinanceServer({ latencyMs: 0, weightLimit: WEIGHT_LIMIT, weightWindowMs: WINDOW_MS });
  const ctx = localContext({ quiet: true });
  const deps = { redis, config: { binanceBaseUrl: server.url } };
  // Warm the server's data cache and the client's limits outside the measurement.
  for (const s of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']) {
    await backfillKlines({ symbol: s, interval: '1d', from: '2023-04-01', to: '2023-04-02' }, ctx, deps);
  }
  await redis.flushall();
  server.setOptions({ latencyMs: LATENCY_MS });
  server.resetStats();
  // Start on a window boundary, so the first window counts like the others.
  await new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() % WINDOW_MS)));
  server.resetLimits();

  const jobs = INTERVALS.flatMap((interval) => RANGES.map(([symbol, from, to]) => ({ symbol, interval, from, to, concurrency: PAGES_IN_FLIGHT_PER_JOB })));
  const results: BackfillResult[] = [];
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL_JOBS }, async () => {
      while (next < jobs.length) results.push(await backfillKlines(jobs[next++], ctx, deps));
    }),
  );
  const elapsedS = (Date.now() - started) / 1000;
  const fetched = results.reduce((n, r) => n + r.fetched, 0);
  const stats = { ...server.stats };
  await server.close();
  return { elapsedS, fetched, stats, gaps: results.reduce((n, r) => n + r.gapBars, 0) };
}

async function benchStore(redis: Redis) {
  const store = new KlineStore(redis);
  const bars = [...readKlinesCsv(klineFile('BTCUSDT', '1m')), ...readKlinesCsv(klineFile('ETHUSDT', '1m'))].slice(0, 400_000);
  const symbolOf = (i: number) => (i < 276_629 ? 'BTCUSDT' : 'ETHUSDT');
  await redis.flushall();
  const run = async (batch: number, inFlight: number) => {
    const started = Date.now();
    let next = 0;
    let written = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < bars.length) {
          const i = next;
          next += batch;
          // Batches never straddle the two symbols: split at the boundary.
          const slice = bars.slice(i, Math.min(i + batch, bars.length));
          const bySymbol = new Map<string, typeof slice>();
          slice.forEach((k, j) => {
            const s = symbolOf(i + j);
            bySymbol.set(s, [...(bySymbol.get(s) ?? []), k]);
          });
          for (const [s, ks] of bySymbol) written += (await store.upsert(s, '1m', ks)).written;
        }
      }),
    );
    return { rate: bars.length / ((Date.now() - started) / 1000), written };
  };
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
  return { n: bars.length, fresh, again, bigBatches, read: read.length, readRate, coverageMs };
}

async function main() {
  const dir = path.join(paths.var, 'bench', `redis-backfill-${process.pid}`);
  const redisProc = await startRedis({ dir });
  const redis = new Redis(redisProc.url);
  try {
    const b = await benchBackfill(redis);
    const rate = b.fetched / b.elapsedS;
    console.log(`\nBackfill: local server, +${LATENCY_MS} ms per request, limit ${WEIGHT_LIMIT} weight per ${WINDOW_MS / 1000} s (Binance's 6000/min scaled 1/10),`);
    console.log(`${RANGES.length} ranges × ${INTERVALS.join('/')} = ${RANGES.length * INTERVALS.length} jobs, ${PARALLEL_JOBS} at a time, ${PAGES_IN_FLIGHT_PER_JOB} pages in flight each\n`);
    console.log('| metric | value |');
    console.log('|---|---:|');
    console.log(`| klines fetched and stored | ${fmt(b.fetched)} |`);
    console.log(`| elapsed | ${fmt(b.elapsedS, 1)} s (${fmt(b.elapsedS / (WINDOW_MS / 1000), 1)} windows) |`);
    console.log(`| klines requests | ${fmt(b.stats.klinesRequests)} (${fmt(b.fetched / b.stats.klinesRequests, 0)} klines each) |`);
    console.log(`| throughput | ${fmt(rate)} klines/s |`);
    console.log(`| theoretical max (${WEIGHT_LIMIT}/${KLINES_WEIGHT} calls × 1000 klines per ${WINDOW_MS / 1000} s) | ${fmt(MAX_KLINES_PER_S)} klines/s |`);
    console.log(`| **fraction of max** (target ≥ 90%) | **${fmt((100 * rate) / MAX_KLINES_PER_S, 1)}%** |`);
    console.log(`| HTTP 429 / 418 (target 0) | ${b.stats.status429} / ${b.stats.status418} |`);
    console.log(`| exchange gaps found (bars) | ${fmt(b.gaps)} |`);

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
