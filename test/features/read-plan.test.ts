// Samples are read in groups (sparse samples skip the bars between them; long spans are read in
// parts) and the features do not depend on the grouping.
import { describe, expect, it } from 'vitest';
import { DatasetBuilder } from '../../activities/features/dataset-builder';
import { resolveFeatureConfig } from '../../activities/features/feature-config';
import type { SampleRef } from '../../activities/features/lookup';
import { planReads } from '../../activities/features/read-plan';
import { klinesBetween, MINUTE } from './real-klines';
import { samplesFromBars } from './samples-fixture';

const at = (i: number) => ({ symbol: 'X', time: i * MINUTE, label: 0 });

describe('read plan', () => {
  it('splits on sparse samples and on long spans, keeps order, loses nothing', () => {
    const samples = [at(31_000), at(0), at(10), at(500), at(20_000), at(20_100)];
    expect(planReads(samples, MINUTE, 443, 1_000_000).map((g) => g.map((s) => s.time / MINUTE))).toEqual([[0, 10, 500], [20_000, 20_100], [31_000]]);
    const dense = Array.from({ length: 5000 }, (_, i) => at(i));
    const parts = planReads(dense, MINUTE, 443, 2000);
    expect(parts.flat()).toEqual(dense);
    for (const p of parts) expect((p[p.length - 1].time - p[0].time) / MINUTE + 443).toBeLessThanOrEqual(2000);
  });

  it('features are the same (to 1e-9) whether a symbol is read at once or in parts', () => {
    const bars = klinesBetween('ETHUSDT', '2023-04-01T00:00:00Z', '2023-04-05T00:00:00Z');
    const samples = samplesFromBars('ETHUSDT', bars.slice(500), 7);
    const cfg = resolveFeatureConfig();
    const whole = new DatasetBuilder(cfg, '1m', MINUTE);
    whole.addSymbol('ETHUSDT', samples, bars);
    const a = whole.finish();

    const parted = new DatasetBuilder(cfg, '1m', MINUTE);
    const groups = planReads<SampleRef>(samples, MINUTE, parted.warmupBars + parted.settleBars, 1500);
    expect(groups.length).toBeGreaterThan(3);
    for (const g of groups) {
      const r = parted.klineRangeFor(g);
      parted.addSymbol('ETHUSDT', g, bars.filter((k) => k.openTime >= r.fromMs && k.openTime <= r.toMs), r);
    }
    const b = parted.finish();
    expect(b.meta.klineRanges).toHaveLength(1);
    expect(b.meta.klineRanges![0].reads).toBe(groups.length);
    expect(b.meta.validity).toEqual(a.meta.validity);
    expect(Array.from(b.time)).toEqual(Array.from(a.time));
    a.X.forEach((x, i) => expect(Math.abs(x - b.X[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x))));
  });
});
