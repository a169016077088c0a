// Computes the configured bar-level features once over a whole series: one Float64Array per
// feature, aligned with the bars (column[i] = the value known when bar i closes; NaN while an
// indicator warms up). Each contiguous run is computed on its own, so no value mixes bars from
// both sides of a gap and every indicator warms up again after one.
// Calendar features depend on the sample time, not the bar, so they are not here (see lookup).
import { atrColumnName, macdColumnNames, type ResolvedFeatureConfig } from './feature-config';
import type { KlineSeries } from './kline-series';
import { atr } from './indicators/atr';
import { bollinger } from './indicators/bollinger';
import { macd } from './indicators/macd';
import { logPrices, logReturns } from './indicators/returns';
import { logReturnVolatility, returnVolatility, zScore } from './indicators/rolling';
import { rsi } from './indicators/rsi';

export interface BarFeatures {
  names: string[];
  columns: Float64Array[];
}

/**
 * Memory the kernels write into, kept by the caller across series (DatasetBuilder keeps one per
 * dataset): a large ArrayBuffer allocation per call costs more than the kernels themselves once
 * the garbage collector gets involved (seconds when the heap holds half a million objects).
 */
export class FeatureWorkspace {
  private columnsBuf = new Float64Array(0);
  private scratchBuf = new Float64Array(0);

  columns(length: number): Float64Array {
    if (this.columnsBuf.length < length) this.columnsBuf = new Float64Array(length);
    return this.columnsBuf.subarray(0, length);
  }

  scratch(length: number): Float64Array {
    if (this.scratchBuf.length < length) this.scratchBuf = new Float64Array(length);
    return this.scratchBuf.subarray(0, length);
  }
}

/**
 * The feature columns of a series. With a workspace, they are views into it, valid until its next
 * use; without, they are freshly allocated.
 */
export function computeBarFeatures(s: KlineSeries, cfg: ResolvedFeatureConfig, ws: FeatureWorkspace = new FeatureWorkspace()): BarFeatures {
  const n = s.close.length;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  // One buffer for all columns and one scratch buffer for the whole series. Each kernel writes
  // every index of its run (NaN in its warm-up), so neither needs clearing.
  const buffer = ws.columns(n * countColumns(cfg));
  const column = (name: string) => {
    const c = buffer.subarray(columns.length * n, (columns.length + 1) * n);
    names.push(name);
    columns.push(c);
    return c;
  };
  let longestRun = 0;
  for (const [a, z] of s.runs) longestRun = Math.max(longestRun, z - a);
  // ln(close) of the run, then a run-length of work space (1-bar returns for the volatility).
  const scratchAll = ws.scratch(2 * longestRun);
  const rsiCol = cfg.rsi && column(`rsi_${cfg.rsi.period}`);
  const m = cfg.macd && macdColumnNames(cfg.macd);
  const macdCols = m && { line: column(m[0]), signal: column(m[1]), hist: column(m[2]) };
  const b = cfg.bollinger && `${cfg.bollinger.period}_${cfg.bollinger.stdDev}`;
  const bbCols = b && { pctB: column(`bb_pctb_${b}`), width: column(`bb_width_${b}`) };
  const volCol = cfg.volatility && column(`volatility_${cfg.volatility.period}`);
  const atrCol = cfg.atr && column(atrColumnName(cfg.atr));
  const retCols = cfg.returns ? cfg.returns.periods.map((p) => column(`ret_${p}`)) : [];
  const vzCol = cfg.volumeZ && column(`volume_z_${cfg.volumeZ.period}`);

  for (const [a, z] of s.runs) {
    const close = s.close.subarray(a, z);
    const sub = (c: Float64Array) => c.subarray(a, z);
    const lnClose = scratchAll.subarray(0, z - a);
    const scratch = scratchAll.subarray(z - a, 2 * (z - a));
    if (volCol || retCols.length) logPrices(close, lnClose);
    if (rsiCol) rsi(close, cfg.rsi!.period, sub(rsiCol));
    if (macdCols) {
      const { fast, slow, signal } = cfg.macd!;
      macd(close, fast, slow, signal, { line: sub(macdCols.line), signal: sub(macdCols.signal), hist: sub(macdCols.hist) });
      if (cfg.macd!.relative) for (const c of [macdCols.line, macdCols.signal, macdCols.hist]) divideBy(sub(c), close);
    }
    if (bbCols) bollinger(close, cfg.bollinger!.period, cfg.bollinger!.stdDev, { pctB: sub(bbCols.pctB), width: sub(bbCols.width) });
    if (atrCol) {
      atr(s.high.subarray(a, z), s.low.subarray(a, z), close, cfg.atr!.period, sub(atrCol));
      if (cfg.atr!.relative) divideBy(sub(atrCol), close);
    }
    if (cfg.returns) logReturns(lnClose, cfg.returns.periods, retCols.map(sub));
    if (volCol) {
      // The 1-bar returns are the ret_1 column when there is one (the same differences).
      const ret1 = cfg.returns ? cfg.returns.periods.indexOf(1) : -1;
      if (ret1 >= 0) returnVolatility(sub(retCols[ret1]), cfg.volatility!.period, sub(volCol));
      else logReturnVolatility(lnClose, cfg.volatility!.period, sub(volCol), scratch);
    }
    if (vzCol) zScore(s.volume.subarray(a, z), cfg.volumeZ!.period, sub(vzCol));
  }
  return { names, columns };
}

/** values[i] /= close[i]: price-unit indicators as a fraction of the price (NaN stays NaN). */
function divideBy(values: Float64Array, close: Float64Array): void {
  const n = values.length; // not in the loop condition: see indicators/rolling.ts
  for (let i = 0; i < n; i++) values[i] /= close[i];
}

function countColumns(cfg: ResolvedFeatureConfig): number {
  return (cfg.rsi ? 1 : 0) + (cfg.macd ? 3 : 0) + (cfg.bollinger ? 2 : 0) + (cfg.volatility ? 1 : 0) + (cfg.atr ? 1 : 0) + (cfg.returns?.periods.length ?? 0) + (cfg.volumeZ ? 1 : 0);
}
