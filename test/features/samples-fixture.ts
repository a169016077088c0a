// Test samples: times drawn from real bars, label = forward 15-bar log return (null where the
// future bar is missing), written as gzip JSON lines like the labels stage writes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Kline } from '../../activities/binance/kline';
import type { SampleRef } from '../../activities/features/lookup';

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

export function writeSamplesFile(dir: string, samples: readonly SampleRef[], name = 'samples.jsonl.gz'): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  const lines = samples.map((s) => JSON.stringify({ ...s, kind: 'forward-return', horizonMs: HORIZON_BARS * 60_000 }));
  writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
  return file;
}
