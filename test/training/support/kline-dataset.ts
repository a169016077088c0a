// An in-memory Dataset from the real BTCUSDT 1m klines: 14 simple causal features (only bars up
// to t) and the forward return over `horizon` bars as the label — the shape the features stage
// produces, without depending on it.
import { klineFile, readKlinesCsv } from '../../../activities/binance/kline-csv';
import type { Dataset } from '../../../activities/features/dataset';

export const KLINE_FEATURES = [
  'ret_1', 'ret_2', 'ret_3', 'ret_5', 'ret_10', 'ret_20', 'ret_60',
  'vol_10', 'vol_30', 'range_hl', 'body', 'vol_z_20', 'close_vs_sma_20', 'close_vs_sma_60',
];

const cache = new Map<string, ReturnType<typeof readKlinesCsv>>();
function readCached(symbol: string) {
  if (!cache.has(symbol)) cache.set(symbol, readKlinesCsv(klineFile(symbol)));
  return cache.get(symbol)!;
}

export function klineDataset(opts: { symbol?: string; rows: number; horizon?: number; offset?: number; leak?: boolean }): Dataset {
  const symbol = opts.symbol ?? 'BTCUSDT';
  const h = opts.horizon ?? 5;
  const warm = 60;
  const all = readCached(symbol);
  const start = opts.offset ?? 0;
  const k = all.slice(start, start + opts.rows + warm + h);
  const c = k.map((b) => b.close);
  const names = opts.leak ? [...KLINE_FEATURES, 'future_return'] : KLINE_FEATURES;
  const nf = names.length;
  const n = k.length - warm - h;
  const X = new Float64Array(n * nf);
  const y = new Float64Array(n);
  const time = new Float64Array(n);
  const ret = (t: number, l: number) => c[t] / c[t - l] - 1;
  const std = (t: number, w: number) => {
    const r = Array.from({ length: w }, (_, j) => ret(t - j, 1));
    const m = r.reduce((a, b) => a + b, 0) / w;
    return Math.sqrt(r.reduce((a, b) => a + (b - m) ** 2, 0) / w);
  };
  const sma = (t: number, w: number) => c.slice(t - w + 1, t + 1).reduce((a, b) => a + b, 0) / w;
  for (let r = 0; r < n; r++) {
    const t = r + warm;
    const vols = k.slice(t - 19, t + 1).map((b) => b.volume);
    const vm = vols.reduce((a, b) => a + b, 0) / 20;
    const vs = Math.sqrt(vols.reduce((a, b) => a + (b - vm) ** 2, 0) / 20) || 1;
    const f = [
      ret(t, 1), ret(t, 2), ret(t, 3), ret(t, 5), ret(t, 10), ret(t, 20), ret(t, 60),
      std(t, 10), std(t, 30), (k[t].high - k[t].low) / c[t], (c[t] - k[t].open) / c[t],
      (k[t].volume - vm) / vs, c[t] / sma(t, 20) - 1, c[t] / sma(t, 60) - 1,
    ];
    y[r] = c[t + h] / c[t] - 1;
    if (opts.leak) f.push(y[r]);
    X.set(f, r * nf);
    time[r] = k[t].openTime;
  }
  return {
    featureNames: names,
    X,
    y,
    time,
    symbol: new Array(n).fill(symbol),
    meta: {
      format: 'trainflow.dataset/v1',
      featureNames: names,
      interval: '1m',
      symbols: [symbol],
      rows: n,
      timeSpan: { from: time[0], to: time[n - 1] },
      label: { kinds: ['forward-return'], horizonMs: [h * 60_000] },
    },
  };
}
