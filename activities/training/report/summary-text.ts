// The few lines the stage prints: folds, mean ± std per model and baseline, verdicts, gate.
import type { GateResult, RunMetrics } from './run-metrics';

const pm = (s: { mean: number; std: number }, digits = 4) => `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;
const pmSci = (s: { mean: number; std: number }) => `${s.mean.toExponential(3)} ± ${s.std.toExponential(1)}`;

/** IC information ratio across folds: mean/std (0 when the IC does not vary, e.g. baselines). */
export function icir(ic: { mean: number; std: number }): number {
  return ic.std > 0 ? ic.mean / ic.std : 0;
}

export function summaryText(m: RunMetrics, gate?: GateResult): string {
  const min = (ms: number) => `${Math.round(ms / 60_000)}m`;
  const lines: string[] = [];
  lines.push(
    `${m.name} run ${m.runId}: ${m.dataset.rows} samples × ${m.dataset.features} features, ${m.cv.folds}-fold walk-forward CV ` +
      `(label horizon ${min(m.cv.horizonMs)}, purge gap ${min(m.cv.gapMs)}, embargo ${min(m.cv.embargoMs)})`,
  );
  if (m.workflow) lines.push(`trained by workflow ${m.workflow.workflowId} (run ${m.workflow.runId})`);
  const names = Object.keys(m.models);
  const w = Math.max(...names.map((n) => n.length), 5);
  lines.push(`${'model'.padEnd(w)}  ${'R²'.padEnd(19)}  ${'MAE'.padEnd(21)}  ${'dir-acc'.padEnd(15)}  ${'IC'.padEnd(17)}  ICIR`);
  for (const n of names) {
    const s = m.models[n].stats;
    lines.push(`${n.padEnd(w)}  ${pm(s.r2).padEnd(19)}  ${pmSci(s.mae).padEnd(21)}  ${pm(s.dirAcc, 3).padEnd(15)}  ${pm(s.ic).padEnd(17)}  ${icir(s.ic).toFixed(2)}`);
  }
  for (const v of Object.values(m.verdicts)) lines.push(v);
  for (const warning of m.warnings) lines.push(`WARNING: ${warning}`);
  lines.push(gate ? `gate (${gate.model}): ${gate.passed ? 'PASSED' : 'FAILED'} — ${gate.reason}` : 'gate: not evaluated yet');
  return lines.join('\n') + '\n';
}
