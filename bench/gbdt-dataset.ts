/**
 * A features/label matrix built from real 1m klines (data/klines/*.csv.gz), for bench/gbdt.ts and
 * the GBDT tests: lagged log returns, rolling volatilities, volume z-scores and range features;
 * label = forward 15-bar log return. Rows are chronological. The shipped files have gaps (months
 * missing), so windows and labels never reach across a gap: each contiguous run is featurized alone.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

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

interface Columns {
  openTime: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export function readKlines(symbol = 'BTCUSDT', maxBars?: number): Columns {
  const path = join(resolve(__dirname, '..'), 'data/klines', `${symbol}-1m.csv.gz`);
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
  const n = Math.min(lines.length - 1, maxBars ?? Infinity);
  const cols: Columns = { openTime: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let k = 0;
  for (let i = 1; i < lines.length && k < n; i++) {
    const parts = lines[i].split(',');
    if (parts.length < 6) continue;
    cols.openTime[k] = Number(parts[0]);
    cols.high[k] = Number(parts[2]);
    cols.low[k] = Number(parts[3]);
    cols.close[k] = Number(parts[4]);
    cols.volume[k] = Number(parts[5]);
    k++;
  }
  return { openTime: cols.openTime.subarray(0, k), high: cols.high.subarray(0, k), low: cols.low.subarray(0, k), close: cols.close.subarray(0, k), volume: cols.volume.subarray(0, k) };
}

/** Rolling mean and standard deviation over the `w` values ending at each index (prefix sums). */
function rolling(values: Float64Array, w: number): { mean: Float64Array; std: Float64Array } {
  const n = values.length;
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    s1[i + 1] = s1[i] + values[i];
    s2[i + 1] = s2[i] + values[i] * values[i];
  }
  const mean = new Float64Array(n).fill(NaN);
  const std = new Float64Array(n).fill(NaN);
  for (let i = w - 1; i < n; i++) {
    const m = (s1[i + 1] - s1[i + 1 - w]) / w;
    mean[i] = m;
    std[i] = Math.sqrt(Math.max(0, (s2[i + 1] - s2[i + 1 - w]) / w - m * m));
  }
  return { mean, std };
}

export function buildKlineDataset(symbol = 'BTCUSDT', maxBars?: number): KlineDataset {
  const cols = readKlines(symbol, maxBars);
  const parts: { X: Float64Array; y: Float64Array }[] = [];
  let start = 0;
  for (let i = 1; i <= cols.close.length; i++) {
    if (i === cols.close.length || cols.openTime[i] - cols.openTime[i - 1] !== 60_000) {
      const seg = (a: Float64Array) => a.subarray(start, i);
      parts.push(featurize({ openTime: seg(cols.openTime), high: seg(cols.high), low: seg(cols.low), close: seg(cols.close), volume: seg(cols.volume) }));
      start = i;
    }
  }
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
