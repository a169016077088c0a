/** Runs TA-Lib (C, PyPI `ta-lib`, installed by scripts/ensure-deps.sh) on a series: the same
 * feature set as activities/features' defaults, for bench/features.ts and the oracle test. */
import { join } from 'node:path';
import { readFloat64, runPythonScript, withTempDir, writeFloat64 } from '../python/python-process';

/** Column order of features.py (the defaults' bar columns, as computeBarFeatures names them). */
export const TALIB_COLUMNS = [
  'rsi_14', 'macd_12_26_9', 'macd_signal_12_26_9', 'macd_hist_12_26_9', 'bb_pctb_20_2', 'bb_width_20_2',
  'volatility_20', 'atr_14', 'ret_1', 'ret_5', 'ret_15', 'ret_60', 'volume_z_20',
];

export interface TalibRun {
  versions: { talib: string; cLibrary: string; numpy: string };
  bestMs: number;
  timesMs: number[];
  /** CPU time of the python process (the machine may be shared: this is what ratios use). */
  bestCpuMs: number;
  cpuTimesMs: number[];
  columns: Map<string, Float64Array>;
}

export interface OhlcvColumns {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export function talibFeatures(s: OhlcvColumns, reps = 1): TalibRun {
  return withTempDir((dir) => {
    for (const name of ['high', 'low', 'close', 'volume'] as const) writeFloat64(join(dir, `${name}.f64`), s[name]);
    const stdout = runPythonScript(join(__dirname, 'features.py'), [dir, String(reps)], {
      modules: ['talib', 'numpy'],
      hint: (python) => `TA-Lib is not importable with ${python}: run bash scripts/ensure-deps.sh`,
    });
    const r = JSON.parse(stdout);
    const all = readFloat64(join(dir, 'out.f64'));
    const n = s.close.length;
    const columns = new Map(TALIB_COLUMNS.map((name, i) => [name, all.subarray(i * n, (i + 1) * n)]));
    return { versions: { talib: r.talib, cLibrary: r.c_library, numpy: r.numpy }, bestMs: r.bestMs, timesMs: r.timesMs, bestCpuMs: r.bestCpuMs, cpuTimesMs: r.cpuTimesMs, columns };
  });
}
