// Shared by the kline labelers: which bars are sampled, and where each contiguous run ends.
import type { Kline } from '../binance/kline';
import { compareSamples, countDrop, type LabelResult, type Sample } from './sample';

/** runEnd[i] = index of the last bar of the gap-free run containing bar i. */
export function runEnds(klines: Kline[], intervalMs: number): Int32Array {
  const ends = new Int32Array(klines.length);
  for (let i = klines.length - 1; i >= 0; i--) {
    ends[i] = i + 1 < klines.length && klines[i + 1].openTime === klines[i].openTime + intervalMs ? ends[i + 1] : i;
  }
  return ends;
}

/**
 * Calls `label(i)` for every sampled bar whose horizon (bars i..i+horizonBars) is complete and
 * gap-free, counting the others as dropped. A bar is sampled when its decision time
 * (closeTime + 1) is a multiple of every·interval: the grid depends on the clock, not on where
 * the data happens to start, so the same bar is a sample in every query window.
 */
export function labelSeries(
  series: Record<string, Kline[]>,
  opts: { horizonBars: number; every: number; intervalMs: number; kind: Sample['kind'] },
  label: (klines: Kline[], i: number) => number,
): LabelResult {
  const { horizonBars, every, intervalMs, kind } = opts;
  const samples: Sample[] = [];
  const dropped: Record<string, number> = {};
  const step = every * intervalMs;
  for (const symbol of Object.keys(series).sort()) {
    const klines = series[symbol];
    const ends = runEnds(klines, intervalMs);
    for (let i = 0; i < klines.length; i++) {
      const time = klines[i].closeTime + 1;
      if (time % step !== 0) continue;
      const last = i + horizonBars;
      if (last >= klines.length) { countDrop(dropped, 'end-of-data'); continue; }
      if (ends[i] < last) { countDrop(dropped, 'gap'); continue; }
      samples.push({ symbol, time, label: label(klines, i), kind, horizonMs: horizonBars * intervalMs });
    }
  }
  samples.sort(compareSamples);
  return { samples, dropped };
}
