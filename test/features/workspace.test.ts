// A FeatureWorkspace reused from series to series (as DatasetBuilder does) gives the same columns
// as fresh memory: kernels write every index, warm-up NaNs included, so nothing stale survives.
import { describe, expect, it } from 'vitest';
import { computeBarFeatures, FeatureWorkspace } from '../../activities/features/compute-features';
import { resolveFeatureConfig } from '../../activities/features/feature-config';
import { toKlineSeries } from '../../activities/features/kline-series';
import { klinesBetween, MINUTE } from './real-klines';

describe('FeatureWorkspace', () => {
  it('reused after a longer series, across a gap, equals a fresh computation', () => {
    const cfg = resolveFeatureConfig({ rsi: {}, macd: { relative: true }, bollinger: {}, volatility: {}, atr: {}, returns: {}, volumeZ: {}, calendar: true });
    const long = toKlineSeries(klinesBetween('BTCUSDT', '2023-04-01T00:00:00Z', '2023-04-03T00:00:00Z'), MINUTE);
    // Across the 2023-03-24 halt: two runs, each with its own warm-up of NaNs.
    const gapped = toKlineSeries(klinesBetween('BTCUSDT', '2023-03-24T11:00:00Z', '2023-03-24T16:00:00Z'), MINUTE);
    expect(gapped.runs).toHaveLength(2);
    const ws = new FeatureWorkspace();
    computeBarFeatures(long, cfg, ws);
    const reused = computeBarFeatures(gapped, cfg, ws);
    const fresh = computeBarFeatures(gapped, cfg);
    expect(reused.names).toEqual(fresh.names);
    reused.columns.forEach((c, f) => expect([...c], fresh.names[f]).toEqual([...fresh.columns[f]]));
    const second = gapped.runs[1][0];
    expect(Number.isNaN(reused.columns[reused.names.indexOf('rsi_14')][second + 5])).toBe(true);
  });
});
