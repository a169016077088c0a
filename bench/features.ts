// Benchmark of features.build's computation: one symbol-year of 1m bars and 10,000 samples.
//   npx tsx bench/features.ts            (or: /usr/bin/time -v npx tsx bench/features.ts)
//   npx tsx bench/features.ts --redis    instead: the whole activity through a temporary redis-server
// Prints figures; not a test. The year is built from the shipped BTCUSDT 1m bars (276,629 real
// bars with gaps), re-timed contiguously, and continued by the same bars again (price-scaled to
// join) up to 525,600 bars. Kline reads from Redis and the file write are timed separately.
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ATR, BollingerBands, MACD, RSI } from 'technicalindicators';
import type { Kline } from '../activities/binance/kline';
import { klineFile, readKlinesCsv } from '../activities/binance/kline-csv';
import { DatasetBuilder } from '../activities/features/dataset-builder';
import { writeDataset } from '../activities/features/dataset';
import { resolveFeatureConfig, settleBars, warmupBars } from '../activities/features/feature-config';
import type { SampleRef } from '../activities/features/lookup';
import { benchThroughRedis } from './features-redis';
import { benchReport } from './report';

const MINUTE = 60_000;
const YEAR_BARS = 525_600;
const SAMPLES = 10_000;
const OLD_SUBSET = 500;

const peakRssMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const resetPeak = () => {
  try {
    writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
  } catch {}
};
const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};

function yearOfBars(real: Kline[]): Kline[] {
  const out: Kline[] = [];
  const start = Date.UTC(2024, 0, 1);
  let scale = 1;
  while (out.length < YEAR_BARS) {
    const take = Math.min(real.length, YEAR_BARS - out.length);
    if (out.length > 0) scale = out[out.length - 1].close / real[0].open;
    for (let i = 0; i < take; i++) {
      const k = real[i];
      const openTime = start + out.length * MINUTE;
      out.push({ ...k, openTime, closeTime: openTime + MINUTE - 1, open: k.open * scale, high: k.high * scale, low: k.low * scale, close: k.close * scale });
    }
  }
  return out;
}

function makeSamples(bars: Kline[]): SampleRef[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const out: SampleRef[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const i = 1000 + Math.floor(rnd() * (bars.length - 1100));
    out.push({ symbol: 'BTCUSDT', time: bars[i].openTime + MINUTE + Math.floor(rnd() * MINUTE), label: Math.log(bars[i + 15].close / bars[i].close) });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The old approach: per sample, slice `window` closed bars before it and run the indicators. */
function oldApproach(bars: Kline[], samples: SampleRef[], window: number): number {
  let finite = 0;
  for (const s of samples) {
    const j = Math.floor((s.time - bars[0].openTime) / MINUTE) - 1; // last closed bar (contiguous year)
    const w = bars.slice(j - window + 1, j + 1);
    const close = w.map((k) => k.close);
    const high = w.map((k) => k.high);
    const low = w.map((k) => k.low);
    const rsi = RSI.calculate({ period: 14, values: close });
    const macd = MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false });
    const bb = BollingerBands.calculate({ period: 20, stdDev: 2, values: close });
    const atr = ATR.calculate({ period: 14, high, low, close });
    const r = close.slice(1).map((c, i) => Math.log(c / close[i]));
    const last = [rsi.at(-1), macd.at(-1)?.histogram, bb.at(-1)?.pb, atr.at(-1), r.at(-1)];
    if (last.every((v) => v !== undefined && Number.isFinite(v))) finite++;
  }
  return finite;
}

async function main() {
  if (process.argv.includes('--redis')) {
    const report = benchReport('features-redis');
    await benchThroughRedis(report, () => {
      const bars = yearOfBars(readKlinesCsv(klineFile('BTCUSDT')));
      return { bars, samples: makeSamples(bars) };
    }, peakRssMb, resetPeak);
    report.done();
    return;
  }
  const report = benchReport('features');
  const [real, readMs] = time(() => readKlinesCsv(klineFile('BTCUSDT')));
  const bars = yearOfBars(real);
  const samples = makeSamples(bars);
  const cfg = resolveFeatureConfig();
  global.gc?.();
  console.log(`input: ${bars.length} bars (${real.length} real BTCUSDT 1m bars re-timed contiguously, then the first ${bars.length - real.length} again, price-scaled), ${samples.length} samples; CSV read ${readMs.toFixed(0)} ms`);
  console.log(`features: ${resolveFeatureConfig() && new DatasetBuilder(cfg, '1m', MINUTE).featureNames.length} columns, warm-up ${warmupBars(cfg)} bars + settle ${settleBars(cfg)} bars`);
  const rssBefore = rssMb();
  resetPeak();

  // New approach, as the activity runs it for one symbol: bars → series → features once → lookups.
  const runs: number[] = [];
  let ds!: ReturnType<DatasetBuilder['finish']>;
  for (let rep = 0; rep < 3; rep++) {
    const [d, ms] = time(() => {
      const b = new DatasetBuilder(cfg, '1m', MINUTE);
      b.addSymbol('BTCUSDT', samples, bars);
      return b.finish();
    });
    ds = d;
    runs.push(ms);
  }
  const peakNew = peakRssMb();
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-features-'));
  const t0 = performance.now();
  const written = await writeDataset(dir, ds);
  const writeMs = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  console.log(`\nNEW (once per series + lookups): ${runs.map((m) => m.toFixed(0)).join(' / ')} ms over 3 runs (best ${Math.min(...runs).toFixed(0)} ms); rows ${ds.y.length}/${samples.length} valid; Arrow write ${writeMs.toFixed(0)} ms (${written.rows} rows)`);
  console.log(`  peak RSS during it ${peakNew.toFixed(0)} MB (process RSS before: ${rssBefore.toFixed(0)} MB, which holds the 525k Kline objects)`);

  // technicalindicators over the whole series, for comparison (not what we run).
  const close = bars.map((k) => k.close);
  const high = bars.map((k) => k.high);
  const low = bars.map((k) => k.low);
  const ti: string[] = [];
  for (const [name, f] of [
    ['RSI', () => RSI.calculate({ period: 14, values: close })],
    ['MACD', () => MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false })],
    ['BollingerBands', () => BollingerBands.calculate({ period: 20, stdDev: 2, values: close })],
    ['ATR', () => ATR.calculate({ period: 14, high, low, close })],
  ] as const) ti.push(`${name} ${time(f as () => unknown)[1].toFixed(0)} ms`);
  console.log(`  (technicalindicators on the whole 525k series: ${ti.join(', ')})`);

  report.figure({ name: `features for ${bars.length} bars and ${samples.length} samples (best of 3)`, value: Math.min(...runs), unit: 'ms' });
  report.figure({ name: 'peak RSS during it', value: peakNew, unit: 'MB', target: '≤ 300 MB', met: peakNew <= 300 });
  // Old approach, timed on a subset and extrapolated.
  for (const window of [100, warmupBars(cfg) + settleBars(cfg)]) {
    const subset = samples.filter((_, i) => i % (SAMPLES / OLD_SUBSET) === 0);
    const [finite, ms] = time(() => oldApproach(bars, subset, window));
    const perSample = ms / subset.length;
    const newBest = Math.min(...runs);
    console.log(
      `\nOLD (per-sample ${window}-bar window, technicalindicators RSI/MACD/BB/ATR + returns): ${ms.toFixed(0)} ms for ${subset.length} samples ` +
        `(${finite} finite) → ${(perSample * SAMPLES).toFixed(0)} ms extrapolated to ${SAMPLES} → new is ${((perSample * SAMPLES) / newBest).toFixed(1)}× faster`,
    );
    report.figure({ name: `per-sample ${window}-bar windows (technicalindicators), extrapolated to ${SAMPLES} samples`, value: perSample * SAMPLES, unit: 'ms', baseline: { name: 'features once per series', value: newBest }, ratio: (perSample * SAMPLES) / newBest });
  }
  console.log(`\npeak RSS of the whole process (VmHWM, since the reset before NEW): ${peakRssMb().toFixed(0)} MB`);
  report.done();
}

main();
