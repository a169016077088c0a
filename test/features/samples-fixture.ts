// Test samples: times drawn from real bars, label = forward 15-bar log return (null where the
// future bar is missing; kept so 'label missing' is exercised), written by the labels stage's writer.
import type { Kline } from '../../activities/binance/kline';
import type { SampleRef } from '../../activities/features/lookup';
import type { Sample } from '../../activities/labels/sample';
import { writeSamples } from '../../activities/labels/samples-file';

export const HORIZON_BARS = 15;

/** Every `step`-th bar (from `offset`) gives a sample at its close time + `jitterMs`. */
export function samplesFromBars(symbol: string, bars: readonly Kline[], step: number, offset = 0, jitterMs = 1234): SampleRef[] {
  const byOpen = new Map(bars.map((k, i) => [k.openTime, i]));
  const iv = 60_000;
  const out: SampleRef[] = [];
  for (let i = offset; i < bars.length; i += step) {
    const k = bars[i];
    const future = byOpen.get(k.openTime + HORIZON_BARS * iv);
    const label = future === undefined ? null : Math.log(bars[future].close / k.close);
    out.push({ symbol, time: k.openTime + iv + jitterMs, label });
  }
  return out;
}

/** Written with the labels stage's own writer (kind 'forward', 15-minute horizon). */
export function writeSamplesFile(dataDir: string, samples: readonly SampleRef[]): string {
  const rows = samples.map((s) => ({ ...s, kind: 'forward' as const, horizonMs: HORIZON_BARS * 60_000 })) as Sample[];
  return writeSamples(dataDir, rows, { labelDefinition: 'test: ln forward 15-bar return' }).file;
}
