// relative: true turns the price-unit indicators (MACD, ATR) into fractions of the bar's close,
// so BTC at 28,000 and XRP at 0.5 share one scale when a model pools symbols.
import { describe, expect, it } from 'vitest';
import { computeBarFeatures } from '../../activities/features/compute-features';
import { featureNames, resolveFeatureConfig } from '../../activities/features/feature-config';
import { toKlineSeries } from '../../activities/features/kline-series';
import { klinesBetween, MINUTE } from './real-klines';

describe('relative MACD and ATR', () => {
  const bars = klinesBetween('BTCUSDT', '2023-04-01T00:00:00Z', '2023-04-03T00:00:00Z');
  const series = toKlineSeries(bars, MINUTE);
  const raw = computeBarFeatures(series, resolveFeatureConfig({ macd: {}, atr: {} }));
  const relCfg = resolveFeatureConfig({ macd: { relative: true }, atr: { period: 14, relative: true } });
  const rel = computeBarFeatures(series, relCfg);
  const col = (f: typeof raw, name: string) => f.columns[f.names.indexOf(name)];

  it('names the columns apart from the raw ones', () => {
    expect(rel.names).toEqual(['macd_rel_12_26_9', 'macd_signal_rel_12_26_9', 'macd_hist_rel_12_26_9', 'atr_rel_14']);
    expect(featureNames(relCfg)).toEqual(rel.names);
  });

  it('divides each value by the close of its bar, NaN warm-up kept', () => {
    for (const [r, a] of [['macd_rel_12_26_9', 'macd_12_26_9'], ['macd_hist_rel_12_26_9', 'macd_hist_12_26_9'], ['atr_rel_14', 'atr_14']]) {
      const relCol = col(rel, r);
      const rawCol = col(raw, a);
      for (let i = 0; i < bars.length; i++) {
        if (Number.isNaN(rawCol[i])) expect(relCol[i]).toBeNaN();
        else expect(relCol[i]).toBe(rawCol[i] / bars[i].close);
      }
    }
    // A unit-free ATR of 1m BTC bars is a small fraction of the price.
    const atr = col(rel, 'atr_rel_14').filter((v) => !Number.isNaN(v));
    expect(Math.max(...atr)).toBeLessThan(0.02);
  });

  it('defaults to the raw, price-unit values', () => {
    expect(resolveFeatureConfig().atr).toEqual({ period: 14, relative: false });
    expect(featureNames(resolveFeatureConfig())).toContain('atr_14');
  });
});
