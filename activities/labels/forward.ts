// Forward-return labels: close(i + horizonBars) / close(i) − 1, sampled every `every` bars.
// Uses bars i and i + horizonBars only; a sample whose horizon crosses a gap is dropped.
import type { Kline } from '../binance/kline';
import { labelSeries } from './kline-walk';
import type { LabelResult } from './sample';

export interface ForwardOptions {
  horizonBars: number;
  every: number;
  intervalMs: number;
}

export function forwardReturnLabels(series: Record<string, Kline[]>, opts: ForwardOptions): LabelResult {
  const h = opts.horizonBars;
  return labelSeries(series, { ...opts, kind: 'forward' }, (k, i) => k[i + h].close / k[i].close - 1);
}
