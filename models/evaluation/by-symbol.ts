// Out-of-sample metrics per symbol: every model's forecasts pooled over the test folds, split by
// the row's symbol. A model that only works on one symbol shows here, not in the pooled means.
import { computeMetrics, type Metrics } from './metrics';

export interface SymbolMetrics {
  n: number;
  models: Record<string, Metrics>;
}

export function metricsBySymbol(symbol: ArrayLike<string>, y: ArrayLike<number>, preds: Record<string, ArrayLike<number>>): Record<string, SymbolMetrics> {
  const rows = new Map<string, number[]>();
  for (let i = 0; i < symbol.length; i++) {
    let r = rows.get(symbol[i]);
    if (!r) rows.set(symbol[i], (r = []));
    r.push(i);
  }
  const out: Record<string, SymbolMetrics> = Object.create(null);
  for (const s of [...rows.keys()].sort()) {
    const idx = rows.get(s)!;
    const ys = idx.map((i) => y[i]);
    const models: Record<string, Metrics> = Object.create(null);
    for (const [name, p] of Object.entries(preds)) models[name] = computeMetrics(ys, idx.map((i) => p[i]));
    out[s] = { n: idx.length, models };
  }
  return out;
}
