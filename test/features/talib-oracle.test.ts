// Our typed-array kernels against TA-Lib (the C library, PyPI `ta-lib`, run by
// scripts/talib/features.py) on the same real bars. technicalindicators is the other oracle
// (oracle.test.ts). Tolerances, from where the two computations legitimately differ:
//  - Everything is compared from the settle point (settleBars: the seed's weight < 1e-12) on:
//    TA-Lib seeds MACD's EMAs differently and starts the MACD line at the signal's first bar
//    (index 33 instead of our 25); before the settle point the values are allowed to differ.
//  - RSI, MACD (line, signal, histogram), ATR, bandwidth, volume z: |Δ| ≤ 1e-9 · max(1, |v|).
//  - Bollinger %B: |Δ| ≤ 1e-9 (absolute; %B crosses 0). TA-Lib keeps running sums of x and x²
//    over the whole series, which drift by ~1e-11 over 20,000 bars.
//  - Volatility (SD of 1-bar log returns, ~1e-3): |Δ| ≤ 1e-12.
//  - Log returns: |Δ| ≤ 4e-15 (ours: ln(c_i) − ln(c_{i−k}); TA-Lib + numpy: ln(c_i/c_{i−k})).
//  - Warm-up: the first defined index is the same for every column but the MACD line.
import { describe, expect, it } from 'vitest';
import { computeBarFeatures } from '../../activities/features/compute-features';
import { resolveFeatureConfig, settleBars } from '../../activities/features/feature-config';
import { toKlineSeries } from '../../activities/features/kline-series';
import { TALIB_COLUMNS, talibFeatures } from '../../scripts/talib/talib-python';
import { klinesBetween, MINUTE } from './real-klines';

const scaled = (v: number) => 1e-9 * Math.max(1, Math.abs(v));
const TOLERANCE: Record<string, (v: number) => number> = {
  bb_pctb_20_2: () => 1e-9,
  volatility_20: () => 1e-12,
  ret_1: () => 4e-15,
  ret_5: () => 4e-15,
  ret_15: () => 4e-15,
  ret_60: () => 4e-15,
};

const RUNS = [
  { symbol: 'BTCUSDT', from: '2023-03-24T14:00:00Z', to: '2023-04-10T00:00:00Z' },
  // The week before the 2023-03-24 halt; its last hour is flat with zero volume.
  { symbol: 'SOLUSDT', from: '2023-03-16T22:15:00Z', to: '2023-03-24T12:40:00Z' },
];

describe.each(RUNS)('indicators match TA-Lib on real $symbol bars', ({ symbol, from, to }) => {
  const cfg = resolveFeatureConfig({ rsi: {}, macd: {}, bollinger: {}, volatility: {}, atr: {}, returns: {}, volumeZ: {} });
  const series = toKlineSeries(klinesBetween(symbol, from, to), MINUTE);
  const ours = computeBarFeatures(series, cfg);
  const talib = talibFeatures(series);
  const settled = settleBars(cfg);

  it('computes the same columns over one gap-free run', () => {
    expect(series.runs).toHaveLength(1);
    expect(series.close.length).toBeGreaterThan(settled + 10_000);
    expect([...talib.columns.keys()].sort()).toEqual([...ours.names].sort());
  });

  it.each(TALIB_COLUMNS)('%s agrees within its tolerance from the settle point on', (name) => {
    const a = ours.columns[ours.names.indexOf(name)];
    const b = talib.columns.get(name)!;
    const tol = TOLERANCE[name] ?? scaled;
    let compared = 0;
    for (let i = settled; i < a.length; i++) {
      const d = Math.abs(a[i] - b[i]);
      if (!(d <= tol(b[i]))) throw new Error(`${name}[${i}]: ours ${a[i]} vs TA-Lib ${b[i]} (|Δ| ${d})`);
      compared++;
    }
    expect(compared).toBe(a.length - settled);
  });

  it('starts every column at the same bar as TA-Lib, except the MACD line (TA-Lib: with the signal)', () => {
    const firstDefined = (c: Float64Array) => c.findIndex((v) => !Number.isNaN(v));
    for (const name of TALIB_COLUMNS) {
      const ourFirst = firstDefined(ours.columns[ours.names.indexOf(name)]);
      const theirFirst = firstDefined(talib.columns.get(name)!);
      if (name === 'macd_12_26_9') expect([ourFirst, theirFirst]).toEqual([25, 33]);
      else expect(ourFirst, name).toBe(theirFirst);
    }
  });
});
