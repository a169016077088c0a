// On real data, wherever the store covers a sample's time, at least 98% of samples come out, and
// every sample that does not is counted under a reason.
import { describe, expect, it } from 'vitest';
import { DatasetBuilder } from '../../activities/features/dataset-builder';
import { resolveFeatureConfig } from '../../activities/features/feature-config';
import { realKlines, MINUTE } from './real-klines';
import { samplesFromBars } from './samples-fixture';

describe('validity on the shipped klines (4 symbols, every 50th bar)', () => {
  it('keeps ≥ 98% where klines cover; in = out + dropped', () => {
    const b = new DatasetBuilder(resolveFeatureConfig(), '1m', MINUTE, 10);
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']) {
      const bars = realKlines(symbol);
      b.addSymbol(symbol, samplesFromBars(symbol, bars, 50, 7), bars);
    }
    const ds = b.finish();
    const v = ds.meta.validity!;
    console.log('validity on real data:', JSON.stringify({ in: v.in, out: v.out, dropped: v.dropped, validShareWhereCovered: v.validShareWhereCovered }));
    expect(v.in).toBeGreaterThan(13_000);
    expect(v.out + Object.values(v.dropped).reduce((a, c) => a + c, 0)).toBe(v.in);
    expect(v.validShareWhereCovered!).toBeGreaterThanOrEqual(0.98);
    expect(ds.X.every(Number.isFinite)).toBe(true);
    expect(v.examples.length).toBe(Math.min(10, v.in - v.out));
    for (let i = 1; i < ds.time.length; i++) expect(ds.time[i]).toBeGreaterThanOrEqual(ds.time[i - 1]);
  });
});
