// Per-fold metrics → mean ± std per model, and the leak check.
import { METRIC_NAMES, type Metrics, type MetricName } from './metrics';

export interface Stat {
  mean: number;
  std: number;
}

export interface ModelCvResult {
  folds: Metrics[];
  stats: Record<MetricName, Stat>;
}

/** A CV R² above this on returns is not skill, it is almost always a leak. */
export const LEAK_R2 = 0.9;

/** Sample standard deviation across folds (0 for a single fold). */
export function meanStd(values: number[]): Stat {
  if (values.length === 0) throw new Error('meanStd of no values');
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1) return { mean: m, std: 0 };
  const v = values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1);
  return { mean: m, std: Math.sqrt(v) };
}

export function summarizeFolds(folds: Metrics[]): ModelCvResult {
  const stats = {} as Record<MetricName, Stat>;
  for (const name of METRIC_NAMES) stats[name] = meanStd(folds.map((f) => f[name]));
  return { folds, stats };
}

/** Warnings for any model whose mean CV R² (or any single fold's R²) exceeds LEAK_R2. */
export function leakWarnings(models: Record<string, ModelCvResult>): string[] {
  const out: string[] = [];
  for (const [name, res] of Object.entries(models)) {
    const meanR2 = res.stats.r2.mean;
    const worstFold = res.folds.reduce((a, f) => Math.max(a, f.r2), -Infinity);
    if (meanR2 > LEAK_R2) {
      out.push(`PROBABLE LEAK: ${name} has CV R² ${meanR2.toFixed(3)} > ${LEAK_R2} on returns; check features for look-ahead`);
    } else if (worstFold > LEAK_R2) {
      out.push(`PROBABLE LEAK: ${name} has a fold with R² ${worstFold.toFixed(3)} > ${LEAK_R2}; check features for look-ahead`);
    }
  }
  return out;
}
