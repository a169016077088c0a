// A sample at time t may only see bars that closed by t (openTime + interval ≤ t).
import { describe, expect, it } from 'vitest';
import type { Kline } from '../../activities/binance/kline';
import { DatasetBuilder } from '../../activities/features/dataset-builder';
import { resolveFeatureConfig } from '../../activities/features/feature-config';
import type { SampleRef } from '../../activities/features/lookup';
import { klinesBetween, MINUTE } from './real-klines';

const bars = klinesBetween('BTCUSDT', '2023-04-01T00:00:00Z', '2023-04-02T00:00:00Z');
const cfg = resolveFeatureConfig();

function build(klines: Kline[], samples: SampleRef[]) {
  const b = new DatasetBuilder(cfg, '1m', MINUTE);
  b.addSymbol('BTCUSDT', samples, klines);
  return b.finish();
}

const perturb = (k: Kline, f: number): Kline => ({ ...k, open: k.open * f, high: k.high * f * 1.01, low: k.low * f * 0.99, close: k.close * f, volume: k.volume * 3 + 1 });

describe('no lookahead', () => {
  // Sample times exactly on a close boundary (the bar ending at t is closed) and just before one.
  const cases = [
    { name: 'at a bar close', t: bars[600].openTime + MINUTE, lastClosed: 600 },
    { name: '1 ms before a bar closes', t: bars[900].openTime + MINUTE - 1, lastClosed: 899 },
  ];
  for (const c of cases) {
    it(`${c.name}: changing every later bar leaves the features unchanged; changing the last closed bar changes them`, () => {
      const sample: SampleRef = { symbol: 'BTCUSDT', time: c.t, label: 0.01 };
      const base = build(bars, [sample]);
      expect(base.y.length).toBe(1);

      const later = bars.map((k, i) => (i > c.lastClosed ? perturb(k, 1.5) : k));
      const afterLater = build(later, [sample]);
      expect(Array.from(afterLater.X)).toEqual(Array.from(base.X)); // exact

      const lastChanged = bars.map((k, i) => (i === c.lastClosed ? perturb(k, 1.001) : k));
      const afterLast = build(lastChanged, [sample]);
      const changed = base.featureNames.filter((_, f) => afterLast.X[f] !== base.X[f]);
      // Calendar features depend only on t; every bar-based feature must move.
      expect(changed.sort()).toEqual(base.featureNames.filter((n) => !/^(hour|dow)_/.test(n)).sort());
    });
  }

  it('many samples at once: perturbing everything after each sample never changes its row', () => {
    const samples: SampleRef[] = [];
    for (let i = 100; i < bars.length - 1; i += 97) samples.push({ symbol: 'BTCUSDT', time: bars[i].openTime + MINUTE, label: 0 });
    const base = build(bars, samples);
    const nf = base.featureNames.length;
    samples.forEach((s, r) => {
      const cut = bars.map((k) => (k.openTime + MINUTE > s.time ? perturb(k, 0.7) : k));
      const one = build(cut, samples);
      expect(Array.from(one.X.subarray(r * nf, (r + 1) * nf))).toEqual(Array.from(base.X.subarray(r * nf, (r + 1) * nf)));
    });
  });
});
