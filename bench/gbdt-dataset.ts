/**
 * A features/label matrix built from real 1m klines (data/klines/*.csv.gz), for bench/gbdt.ts and
 * the GBDT tests: lagged log returns, rolling volatilities, volume z-scores and range features;
 * label = forward 15-bar log return. Rows are chronological. The shipped files have gaps (months
 * missing), so windows and labels never reach across a gap: each contiguous run is featurized alone.
 */
import { klineFile, readKlinesCsv } from '../activities/binance/kline-csv';
import { INTERVAL_MS } from '../activities/binance/kline';
import { toKlineSeries, type KlineSeries } from '../activities/features/kline-series';
import { Emit, rollingWindows } from '../activities/features/indicators/rolling';

export const FEATURE_NAMES = [
  'ret_1', 'ret_2', 'ret_3', 'ret_5', 'ret_10', 'ret_15', 'ret_30', 'ret_60',
  'vol_15', 'vol_60', 'vol_240', 'volume_z_60', 'volume_z_240',
  'range_1', 'range_mean_15', 'close_in_bar', 'dist_mean_60',
];
const RETURN_LAGS = [1, 2, 3, 5, 10, 15, 30, 60];
const WARMUP = 240;
export const HORIZON = 15;

export interface KlineDataset {
  X: Float64Array;
  y: Float64Array;
  nRows: number;
  nFeatures: number;
  featureNames: string[];
}

type Columns = Pick<KlineSeries, 'high' | 'low' | 'close' | 'volume'>;

/** The shipped 1m bars of a symbol (the project's CSV reader) as columns split into gap-free runs. */
export function readKlines(symbol = 'BTCUSDT', maxBars?: number): KlineSeries {
  const bars = readKlinesCsv(klineFile(symbol, '1m'));
  return toKlineSeries(maxBars === undefined ? bars : bars.slice(0, maxBars), INTERVAL_MS['1m']);
}

/** Rolling mean and standard deviation over the `w` values ending at each index (NaN before). */
function rolling(values: Float64Array, w: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(values.length).fill(NaN);
  const std = new Float64Array(values.length).fill(NaN);
  rollingWindows(values, w, 0, Emit.Mean, mean);
  rollingWindows(values, w, 0, Emit.Sd, std);
  return { mean, std };
}

export function buildKlineDataset(symbol = 'BTCUSDT', maxBars?: number): KlineDataset {
  const series = readKlines(symbol, maxBars);
  // Windows and labels never reach across a gap: each contiguous run is featurized alone.
  const parts = series.runs.map(([a, z]) => {
    const seg = (c: Float64Array) => c.subarray(a, z);
    return featurize({ high: seg(series.high), low: seg(series.low), close: seg(series.close), volume: seg(series.volume) });
  });
  const nFeatures = FEATURE_NAMES.length;
  const nRows = parts.reduce((s, p) => s + p.y.length, 0);
  const X = new Float64Array(nRows * nFeatures);
  const y = new Float64Array(nRows);
  let r = 0;
  for (const p of parts) {
    X.set(p.X, r * nFeatures);
    y.set(p.y, r);
    r += p.y.length;
  }
  return { X, y, nRows, nFeatures, featureNames: FEATURE_NAMES };
}

function featurize({ high, low, close, volume }: Columns): { X: Float64Array; y: Float64Array } {
  const n = close.length;
  const logClose = close.map(Math.log);
  const ret1 = new Float64Array(n);
  for (let i = 1; i < n; i++) ret1[i] = logClose[i] - logClose[i - 1];
  const logVolume = volume.map((v) => Math.log1p(v));
  const range = new Float64Array(n);
  for (let i = 0; i < n; i++) range[i] = (high[i] - low[i]) / close[i];
  const vols = [15, 60, 240].map((w) => rolling(ret1, w).std);
  const volZ = [60, 240].map((w) => {
    const r = rolling(logVolume, w);
    return logVolume.map((v, i) => (r.std[i] > 0 ? (v - r.mean[i]) / r.std[i] : 0));
  });
  const rangeMean = rolling(range, 15).mean;
  const closeMean = rolling(close, 60).mean;

  const nFeatures = FEATURE_NAMES.length;
  const first = WARMUP;
  const last = n - HORIZON; // exclusive
  const nRows = Math.max(0, last - first);
  const X = new Float64Array(nRows * nFeatures);
  const y = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const i = first + r;
    const row = [
      ...RETURN_LAGS.map((lag) => logClose[i] - logClose[i - lag]),
      vols[0][i], vols[1][i], vols[2][i],
      volZ[0][i], volZ[1][i],
      range[i], rangeMean[i],
      high[i] > low[i] ? (close[i] - low[i]) / (high[i] - low[i]) : 0.5,
      close[i] / closeMean[i] - 1,
    ];
    X.set(row, r * nFeatures);
    y[r] = logClose[i + HORIZON] - logClose[i];
  }
  return { X, y };
}

/** Chronological split: the first `fraction` of rows for training, the rest for testing. */
export function splitChronological(d: KlineDataset, fraction: number) {
  const nTrain = Math.floor(d.nRows * fraction);
  const f = d.nFeatures;
  return {
    train: { X: d.X.subarray(0, nTrain * f), y: d.y.subarray(0, nTrain) },
    test: { X: d.X.subarray(nTrain * f), y: d.y.subarray(nTrain) },
  };
}
