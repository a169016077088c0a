// Renders a run's state for a terminal: one line per stage.
import type { Plan } from '../dsl/plan';
import type { RunState, StageState } from '../workflows/run-state';

const ICON: Record<string, string> = { pending: '·', running: '▶', succeeded: '✓', skipped: '↷', failed: '✗', cancelled: '⊘' };

function duration(s: StageState): string {
  if (!s.startedAt) return '';
  const end = s.finishedAt ? Date.parse(s.finishedAt) : Date.now();
  return ` ${((end - Date.parse(s.startedAt)) / 1000).toFixed(1)}s`;
}

export function stageLine(id: string, uses: string, s: StageState): string {
  const items = s.items ? ` [${s.items.done}/${s.items.total}]` : '';
  const reused = s.reused ? ` — ${s.reused.from === 'cache' ? 'from the stage cache' : 'reused'}: outputs of ${s.reused.workflowId}` : '';
  const extra = s.error ? ` — ${s.error}` : s.reason ? ` — ${s.reason}` : reused;
  return `  ${ICON[s.status] ?? '?'} ${id} (${uses}) ${s.status}${items}${duration(s)}${extra}`;
}

export function renderRun(plan: Pick<Plan, 'stages'>, state: RunState): string {
  return plan.stages.map((st) => stageLine(st.id, st.uses, state.stages[st.id] ?? { status: 'pending' })).join('\n');
}
