// Human-readable views of a Plan: a text summary and a Mermaid flowchart.
import type { Plan, PlanStage, Template } from './plan';
import { formatMs } from './duration';
import { parallelLevels } from './graph';

export function describePlan(plan: Plan): string {
  const lines: string[] = [`pipeline ${plan.name} (plan ${plan.hash.slice(0, 12)})`];
  if (plan.description) lines.push(`  ${plan.description}`);
  const params = Object.entries(plan.params);
  if (params.length > 0) {
    lines.push('params:');
    for (const [name, p] of params) {
      const type = p.type === 'array' && p.items ? `${p.items}[]` : p.type;
      lines.push(`  ${name}: ${type}${p.required ? ' (required)' : ` = ${JSON.stringify(p.default)}`}`);
    }
  }
  if (plan.schedule) {
    const s = plan.schedule;
    const catchup = s.catchupWindowMs === undefined ? '' : `, catch-up ${formatMs(s.catchupWindowMs)}`;
    lines.push(`schedule: '${s.cron}' ${s.timezone}, overlap ${s.overlap}${catchup}`);
  }
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  parallelLevels(new Map(plan.stages.map((s) => [s.id, s.needs]))).forEach((level, i) => {
    lines.push(`parallel group ${i + 1}: ${level.join(', ')}`);
    for (const id of level) lines.push(...describeStage(byId.get(id)!).map((l) => `  ${l}`));
  });
  return lines.join('\n');
}

function describeStage(s: PlanStage): string[] {
  const out = [`${s.id}: ${s.uses}${s.needs.length ? ` after ${s.needs.join(', ')}` : ''}`];
  if (s.description) out.push(`  ${s.description}`);
  const limit = s.concurrency === undefined ? '' : `, at most ${s.concurrency} at once`;
  if (s.forEach) out.push(`  fan-out: one activity per item of ${templateText(s.forEach)}${limit}`);
  if (s.when) out.push(`  runs only when ${templateText(s.when)}`);
  const r = s.retry;
  const nonRetryable = r.nonRetryableErrorTypes.length ? `, not retried on ${r.nonRetryableErrorTypes.join(', ')}` : '';
  out.push(
    `  retry: ${r.maximumAttempts} attempts, ${formatMs(r.initialIntervalMs)} × ${r.backoffCoefficient} up to ${formatMs(r.maximumIntervalMs)}${nonRetryable}`,
  );
  const t = s.timeout;
  const extra = [t.scheduleToCloseMs && `schedule-to-close ${formatMs(t.scheduleToCloseMs)}`, t.heartbeatMs && `heartbeat ${formatMs(t.heartbeatMs)}`];
  out.push(`  timeout: start-to-close ${formatMs(t.startToCloseMs)}${extra.filter(Boolean).map((e) => `, ${e}`).join('')}`);
  return out;
}

/** How a template reads in a summary: `${{ expr }}` or the literal's JSON. */
export function templateText(t: Template): string {
  if (t.kind === 'expr') return `\${{ ${t.source} }}`;
  if (t.kind === 'literal') return JSON.stringify(t.value);
  if (t.kind === 'interpolate') return JSON.stringify(t.parts.map((p) => (typeof p === 'string' ? p : `\${{ ${p.source} }}`)).join(''));
  return t.kind === 'array' ? '[…]' : '{…}';
}
