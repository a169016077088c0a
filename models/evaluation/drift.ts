// The drift rule of the nightly shadow evaluation: live skill is compared with the model's own
// cross-validated estimate. A metric drifts when its live value falls below the CV mean by more
// than `spreads` times the CV standard deviation across folds: the model does worse live than
// its folds said it would, by more than the folds disagreed among themselves.
import type { Stat } from './summary';

export type DriftMetric = 'dirAcc' | 'ic';
export const DRIFT_METRICS: readonly DriftMetric[] = ['dirAcc', 'ic'];

export interface DriftRule {
  metrics: DriftMetric[];
  /** How many CV standard deviations below the CV mean count as drift (default 1). */
  spreads: number;
  /** Fewer live samples than this give no verdict ('insufficient'). */
  minSamples: number;
}

export interface DriftCheck {
  metric: DriftMetric;
  live: number;
  cvMean: number;
  cvStd: number;
  /** cvMean − spreads · cvStd */
  threshold: number;
  below: boolean;
}

export type DriftStatus = 'drift' | 'ok' | 'insufficient';

export interface DriftVerdict {
  status: DriftStatus;
  checks: DriftCheck[];
  reason: string;
}

export function judgeDrift(live: { n: number } & Record<DriftMetric, number> | null, cv: Record<DriftMetric, Stat>, rule: DriftRule): DriftVerdict {
  const n = live?.n ?? 0;
  if (!live || n < rule.minSamples) {
    return { status: 'insufficient', checks: [], reason: `${n} live sample${n === 1 ? '' : 's'} in the window, fewer than the ${rule.minSamples} a verdict needs` };
  }
  const checks = rule.metrics.map((metric): DriftCheck => {
    const { mean, std } = cv[metric];
    const threshold = mean - rule.spreads * std;
    return { metric, live: live[metric], cvMean: mean, cvStd: std, threshold, below: live[metric] < threshold };
  });
  const failed = checks.filter((c) => c.below);
  const fmt = (c: DriftCheck) => `${c.metric} ${c.live.toFixed(4)} ${c.below ? '<' : '≥'} CV ${c.cvMean.toFixed(4)} − ${rule.spreads}×${c.cvStd.toFixed(4)} = ${c.threshold.toFixed(4)}`;
  return failed.length > 0
    ? { status: 'drift', checks, reason: `live skill below the CV estimate by more than its spread over ${n} trades: ${failed.map(fmt).join('; ')}` }
    : { status: 'ok', checks, reason: `live skill within the CV estimate over ${n} trades: ${checks.map(fmt).join('; ')}` };
}
