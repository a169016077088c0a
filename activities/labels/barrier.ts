// Triple-barrier labels, exiting like the bot: from the close of bar i, walk bars i+1..i+maxBars;
//   low <= close·(1 − stopLoss)    → the stop (or the bar's open if it opened below the stop)
//   high >= close·(1 + takeProfit) → the target (or the open if it opened above it)
//   both in one bar                → the stop: the order inside a bar is unknown, so we assume
//                                    the worse one (a label that flatters the model is worse
//                                    than one that is too cautious)
//   neither by bar i+maxBars       → close(i+maxBars) / close(i) − 1
// The label is the simple return at that exit. A sample needs all maxBars bars, gap-free, even
// when a barrier is touched early: otherwise samples near the end of the data or before a gap
// would be only those that touched early, a biased set.
import type { Kline } from '../binance/kline';
import { labelSeries } from './kline-walk';
import type { LabelResult } from './sample';

export interface BarrierOptions {
  /** Percent: 1.5 = +1.5 %. */
  takeProfitPct: number;
  stopLossPct: number;
  maxBars: number;
  every: number;
  intervalMs: number;
}

export function barrierLabels(series: Record<string, Kline[]>, opts: BarrierOptions): LabelResult {
  const { takeProfitPct, stopLossPct, maxBars } = opts;
  return labelSeries(series, { horizonBars: maxBars, every: opts.every, intervalMs: opts.intervalMs, kind: 'barrier' }, (k, i) => {
    const entry = k[i].close;
    const tp = entry * (1 + takeProfitPct / 100);
    const sl = entry * (1 - stopLossPct / 100);
    for (let j = i + 1; j <= i + maxBars; j++) {
      if (k[j].low <= sl) return Math.min(sl, k[j].open) / entry - 1;
      if (k[j].high >= tp) return Math.max(tp, k[j].open) / entry - 1;
    }
    return k[i + maxBars].close / entry - 1;
  });
}
