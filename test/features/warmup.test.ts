// The warm-up is derived from the configured periods, and it is exactly enough: with `warmup`
// closed bars the first row is finite, with one fewer it is not.
import { describe, expect, it } from 'vitest';
import { computeBarFeatures } from '../../activities/features/compute-features';
import { DatasetBuilder } from '../../activities/features/dataset-builder';
import { resolveFeatureConfig, warmupBars, warmupByFeatureGroup, type FeatureConfig } from '../../activities/features/feature-config';
import { toKlineSeries } from '../../activities/features/kline-series';
import { DROP } from '../../activities/features/validity';
import { klinesBetween, MINUTE } from './real-klines';

const bars = klinesBetween('BTCUSDT', '2023-04-03T00:00:00Z', '2023-04-03T06:00:00Z');

describe('warm-up', () => {
  it('is computed from the config', () => {
    expect(warmupByFeatureGroup(resolveFeatureConfig())).toEqual({ rsi: 15, macd: 34, bollinger: 20, volatility: 21, atr: 15, returns: 61, volumeZ: 20, calendar: 0 });
    expect(warmupBars(resolveFeatureConfig())).toBe(61);
    expect(warmupBars(resolveFeatureConfig({ macd: { fast: 5, slow: 50, signal: 20 }, rsi: {} }))).toBe(69);
    expect(warmupBars(resolveFeatureConfig({ bollinger: { period: 30 } }))).toBe(30);
  });

  const configs: Array<[string, FeatureConfig | undefined]> = [
    ['defaults', undefined],
    ['rsi(7)', { rsi: { period: 7 } }],
    ['macd(5,50,20)', { macd: { fast: 5, slow: 50, signal: 20 } }],
    ['bollinger(30,1.5)', { bollinger: { period: 30, stdDev: 1.5 } }],
    ['volatility(10)', { volatility: { period: 10 } }],
    ['atr(21)', { atr: { period: 21 } }],
    ['returns(3,90)', { returns: { periods: [3, 90] } }],
    ['volumeZ(40)', { volumeZ: { period: 40 } }],
  ];
  for (const [name, fc] of configs) {
    it(`${name}: exactly warm-up bars → every feature finite at the last bar; one fewer → some NaN`, () => {
      const cfg = resolveFeatureConfig(fc);
      const w = warmupBars(cfg);
      const exact = computeBarFeatures(toKlineSeries(bars.slice(0, w), MINUTE), cfg);
      for (const c of exact.columns) expect(Number.isFinite(c[w - 1])).toBe(true);
      const short = computeBarFeatures(toKlineSeries(bars.slice(0, w - 1), MINUTE), cfg);
      expect(short.columns.some((c) => !Number.isFinite(c[w - 2]))).toBe(true);
    });
  }

  it('through the builder: a sample with exactly warm-up bars before it is kept; with one fewer, dropped for the warm-up', () => {
    const cfg = resolveFeatureConfig();
    const w = warmupBars(cfg);
    const t = bars[w - 1].openTime + MINUTE;
    const ok = new DatasetBuilder(cfg, '1m', MINUTE);
    ok.addSymbol('BTCUSDT', [{ symbol: 'BTCUSDT', time: t, label: 1 }], bars.slice(0, w));
    const okDs = ok.finish();
    expect(okDs.y.length).toBe(1);
    expect(okDs.X.every(Number.isFinite)).toBe(true);
    const short = new DatasetBuilder(cfg, '1m', MINUTE);
    short.addSymbol('BTCUSDT', [{ symbol: 'BTCUSDT', time: t, label: 1 }], bars.slice(1, w));
    expect(short.finish().meta.validity!.dropped).toEqual({ [DROP.gap]: 1 });
  });

  it('the range asked of the store ends at the last sample’s last closed bar and starts warm-up + settle − 1 bars before the first’s', () => {
    const b = new DatasetBuilder(resolveFeatureConfig(), '1m', MINUTE);
    const extra = b.settleBars;
    const t = Date.parse('2023-04-03T05:00:30Z');
    const r = b.klineRangeFor([{ symbol: 'X', time: t, label: 0 }, { symbol: 'X', time: t + 3_600_000, label: 0 }]);
    expect(r.toMs).toBe(Date.parse('2023-04-03T05:59:00Z'));
    expect(r.fromMs).toBe(Date.parse('2023-04-03T04:59:00Z') - (60 + extra) * MINUTE);
  });
});
