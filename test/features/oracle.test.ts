// Our typed-array indicators against technicalindicators called directly on the same real bars.
import { describe, expect, it } from 'vitest';
import { ATR, AverageGain, AverageLoss, BollingerBands, MACD, RSI, SD, SMA } from 'technicalindicators';
import { computeBarFeatures } from '../../activities/features/compute-features';
import { resolveFeatureConfig } from '../../activities/features/feature-config';
import { toKlineSeries } from '../../activities/features/kline-series';
import { klinesBetween, MINUTE } from './real-klines';

const rel = (v: number) => 1e-9 * Math.max(1, Math.abs(v));
// RSI, MACD and ATR repeat technicalindicators' arithmetic operation for operation: bit-exact.
const exactly = () => 0;
const isFlat = (v: number[], end: number, p: number) => {
  for (let j = end - p + 1; j <= end; j++) if (v[j] !== v[end]) return false;
  return true;
};

// Gap-free runs of real 1m bars: BTCUSDT between the 2023-03-24 halt and 04-10; SOLUSDT in the
// week before that halt, whose last hour is flat with zero volume (the degenerate cases).
const RUNS = [
  { symbol: 'BTCUSDT', from: '2023-03-24T14:00:00Z', to: '2023-04-10T00:00:00Z', degenerate: false },
  { symbol: 'SOLUSDT', from: '2023-03-16T22:15:00Z', to: '2023-03-24T12:40:00Z', degenerate: true },
];

describe.each(RUNS)('indicators match technicalindicators on real $symbol bars', ({ symbol, from, to, degenerate }) => {
  const bars = klinesBetween(symbol, from, to);
  const close = bars.map((k) => k.close);
  const high = bars.map((k) => k.high);
  const low = bars.map((k) => k.low);
  const n = bars.length;
  const series = toKlineSeries(bars, MINUTE);
  const features = computeBarFeatures(series, resolveFeatureConfig());
  const col = (name: string) => features.columns[features.names.indexOf(name)];

  /** Compares our NaN-padded column with an end-aligned oracle array: NaN before, |Δ| ≤ tol after. */
  function expectAligned(ours: Float64Array, oracle: number[], firstIndex: number, tol: (v: number) => number) {
    expect(oracle.length).toBe(n - firstIndex);
    for (let i = 0; i < firstIndex; i++) expect(ours[i]).toBeNaN();
    for (let k = 0; k < oracle.length; k++) {
      const d = Math.abs(ours[firstIndex + k] - oracle[k]);
      if (!(d <= tol(oracle[k]))) throw new Error(`index ${firstIndex + k}: ours ${ours[firstIndex + k]} vs oracle ${oracle[k]}`);
    }
  }

  it('uses one gap-free run', () => {
    expect(series.runs).toHaveLength(1);
    expect(n).toBeGreaterThan(10_000);
    const flat = close.filter((_, i) => i >= 19 && isFlat(close, i, 20)).length;
    const noVolume = bars.filter((k) => k.volume === 0).length;
    if (degenerate) expect(Math.min(flat, noVolume)).toBeGreaterThan(0);
  });

  it('RSI(14): equals the unrounded RSI from technicalindicators’ own average gain/loss; RSI.calculate within its 2-decimal rounding', () => {
    const g = AverageGain.calculate({ period: 14, values: close });
    const l = AverageLoss.calculate({ period: 14, values: close });
    // Our one deliberate difference: no gains and no losses (flat) is 50, not 100.
    const bothZero = (i: number) => g[i] === 0 && l[i] === 0;
    const exact = g.map((ag, i) => (bothZero(i) ? 50 : l[i] === 0 ? 100 : ag === 0 ? 0 : 100 - 100 / (1 + ag / l[i])));
    expectAligned(col('rsi_14'), exact, 14, exactly);
    const rounded = RSI.calculate({ period: 14, values: close }).map((v, i) => (bothZero(i) ? 50 : v));
    expectAligned(col('rsi_14'), rounded, 14, () => 0.005 + 1e-9);
  });
  it('MACD(12,26,9) EMA/EMA: line, signal, histogram', () => {
    const m = MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false });
    expect(m.length).toBe(n - 25);
    expectAligned(col('macd_12_26_9'), m.map((r) => r.MACD!), 25, exactly);
    // The first 8 rows have no signal yet: end-align from the first full row (bar 33 = 34 bars).
    const full = m.slice(8);
    expectAligned(col('macd_signal_12_26_9'), full.map((r) => r.signal!), 33, exactly);
    expectAligned(col('macd_hist_12_26_9'), full.map((r) => r.histogram!), 33, exactly);
  });

  it('Bollinger(20,2): %B and bandwidth', () => {
    const bb = BollingerBands.calculate({ period: 20, stdDev: 2, values: close });
    // technicalindicators keeps a running sum for the middle band; ours slides sums re-anchored
    // every window (indicators/rolling.ts), so allow rounding differences of 1e-9 (relative), far
    // below any meaningful %B difference.
    // On a flat window technicalindicators gives 0/0 (or noise from its running-sum mean); ours is 0.5.
    expectAligned(col('bb_pctb_20_2'), bb.map((r, k) => (isFlat(close, k + 19, 20) ? 0.5 : r.pb)), 19, rel);
    expectAligned(col('bb_width_20_2'), bb.map((r) => (r.upper - r.lower) / r.middle), 19, rel);
  });

  it('ATR(14)', () => {
    const a = ATR.calculate({ period: 14, high, low, close });
    expectAligned(col('atr_14'), a, 14, exactly);
  });

  it('volatility(20): population SD of 1-bar log returns (technicalindicators SD)', () => {
    const r = close.slice(1).map((c, i) => Math.log(c / close[i]));
    // technicalindicators' SD stops summing at a value of exactly 0 (FixedSizeLinkedList.iterator
    // loops `while (this.next())`), and a one-bar log return is 0 whenever the close repeats.
    // SD is shift-invariant, so feed it r + 1, which has no zeros.
    const sd = SD.calculate({ period: 20, values: r.map((x) => x + 1) });
    expectAligned(col('volatility_20'), sd, 20, () => 1e-12);
  });

  it('volatility without the returns group (its own 1-bar returns) equals the one taken from ret_1', () => {
    const alone = computeBarFeatures(series, resolveFeatureConfig({ volatility: {} }));
    expect(alone.names).toEqual(['volatility_20']);
    expect([...alone.columns[0]]).toEqual([...col('volatility_20')]);
  });

  it('volume z-score(20) from technicalindicators SMA and SD', () => {
    const v = bars.map((k) => k.volume);
    const mean = SMA.calculate({ period: 20, values: v });
    const sd = SD.calculate({ period: 20, values: v.map((x) => x + 1) }); // +1: see the zero bug above
    // A flat window (e.g. no trades) has z = 0 by definition.
    const z = mean.map((m, k) => (isFlat(v, k + 19, 20) ? 0 : (v[k + 19] - m) / sd[k]));
    expectAligned(col('volume_z_20'), z, 19, (x) => 1e-9 * Math.max(1, Math.abs(x)));
  });

  it('log returns over 1/5/15/60 bars', () => {
    for (const p of [1, 5, 15, 60]) {
      const expected = close.slice(p).map((c, i) => Math.log(c / close[i]));
      // Ours is ln(c_i) − ln(c_{i−k}) (one logarithm per bar): 2 ulp of ln(price) at most.
      expectAligned(col(`ret_${p}`), expected, p, () => 4e-15);
    }
  });

});

describe('degenerate input', () => {
  const bars = klinesBetween('BTCUSDT', '2023-04-01T00:00:00Z', '2023-04-01T00:10:00Z');
  it('flat prices: %B is 0.5, RSI 50, no NaN or Infinity', () => {
    const flat = Array.from({ length: 80 }, (_, i) => ({ ...bars[0], openTime: bars[0].openTime + i * MINUTE, open: 100, high: 100, low: 100, close: 100, volume: 0 }));
    const f = computeBarFeatures(toKlineSeries(flat, MINUTE), resolveFeatureConfig());
    const last = (name: string) => f.columns[f.names.indexOf(name)][79];
    expect(last('bb_pctb_20_2')).toBe(0.5);
    expect(last('rsi_14')).toBe(50);
    for (const c of f.columns) expect(Number.isFinite(c[79])).toBe(true);
  });
});
