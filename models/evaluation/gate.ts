// The publish gate: does the chosen model beat a naive baseline on CV by a margin?
// For lower-is-better metrics (mae, rmse) the margin is relative: (base − model)/base ≥ byMargin.
// For r2, dirAcc and ic a baseline can sit at 0, so the margin is absolute: model − base ≥ byMargin.
import { LOWER_IS_BETTER, METRIC_NAMES, type MetricName } from './metrics';
import type { ModelCvResult } from './summary';

export interface GateSpec {
  metric: MetricName;
  /** Which baseline to beat; 'none' checks only minR2. */
  mustBeatBaseline?: 'mean' | 'zero' | 'none';
  byMargin?: number;
  minR2?: number;
  /** Model to gate; default: the run's primary model (ensemble if trained). */
  model?: string;
  /** A suspected leak fails the gate unless this is set. */
  allowLeakSuspect?: boolean;
  /** A standing live-drift alarm on the published model fails the gate unless this is set. */
  allowDrift?: boolean;
}

/** A drift alarm of the nightly shadow evaluation against the model currently published. */
export interface LiveDrift {
  version: string;
  day: string;
  reason: string;
}

export interface GateResult {
  passed: boolean;
  reason: string;
  model: string;
  checks: Array<{ check: string; passed: boolean; detail: string }>;
}

export function baselineKey(name: 'mean' | 'zero'): string {
  return `baseline:${name}`;
}

export function evaluateGate(
  models: Record<string, ModelCvResult>,
  primary: string,
  gate: GateSpec,
  leakSuspect: boolean,
  liveDrift?: LiveDrift,
): GateResult {
  const model = gate.model ?? primary;
  if (!METRIC_NAMES.includes(gate.metric)) throw new Error(`gate.metric '${gate.metric}' is not one of ${METRIC_NAMES.join(', ')}`);
  const res = models[model];
  if (!res) throw new Error(`gate.model '${model}' was not trained in this run (have: ${Object.keys(models).join(', ')})`);
  const checks: GateResult['checks'] = [];
  const baseline = gate.mustBeatBaseline ?? 'mean';
  const margin = gate.byMargin ?? 0;
  const value = res.stats[gate.metric].mean;

  if (baseline !== 'none') {
    const base = models[baselineKey(baseline)].stats[gate.metric].mean;
    const lower = LOWER_IS_BETTER.has(gate.metric);
    const improvement = lower ? (base === 0 ? 0 : (base - value) / base) : value - base;
    const kind = lower ? 'relative' : 'absolute';
    checks.push({
      check: `${gate.metric} beats ${baseline} baseline by ≥ ${margin} (${kind})`,
      passed: improvement >= margin,
      detail: `${model} ${fmt(value)} vs baseline ${fmt(base)}: improvement ${fmt(improvement)}`,
    });
  }
  if (gate.minR2 !== undefined) {
    const r2 = res.stats.r2.mean;
    checks.push({ check: `mean CV R² ≥ ${gate.minR2}`, passed: r2 >= gate.minR2, detail: `${model} R² ${fmt(r2)}` });
  }
  if (leakSuspect && !gate.allowLeakSuspect) {
    checks.push({ check: 'no suspected leak', passed: false, detail: 'CV R² above the leak threshold; see warnings' });
  }
  if (liveDrift) {
    // The CV estimate that passed the live model did not hold on the desk's real trades: a new
    // run judged by the same estimate goes live only when someone says so (allowDrift).
    checks.push({
      check: 'no live drift alarm on the published model',
      passed: gate.allowDrift === true,
      detail: `${liveDrift.version} drifted on ${liveDrift.day}: ${liveDrift.reason}${gate.allowDrift ? ' (allowed by allowDrift)' : ''}`,
    });
  }
  const failed = checks.filter((c) => !c.passed);
  const passed = failed.length === 0;
  const reason = passed
    ? `passed: ${checks.map((c) => c.detail).join('; ') || 'no checks configured'}`
    : `failed: ${failed.map((c) => `${c.check} — ${c.detail}`).join('; ')}`;
  return { passed, reason, model, checks };
}

function fmt(x: number): string {
  return Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(4) : x.toExponential(3);
}
