// A Plan as a Mermaid flowchart: one subgraph per parallel group, fan-out and conditional stages
// marked by shape and label.
import { parallelLevels } from './graph';
import type { Plan, PlanStage } from './plan';
import { templateText } from './describe';

export function planToMermaid(plan: Plan): string {
  const lines = ['flowchart TD'];
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  parallelLevels(new Map(plan.stages.map((s) => [s.id, s.needs]))).forEach((level, i) => {
    lines.push(`  subgraph group${i + 1}["parallel group ${i + 1}"]`);
    for (const id of level) lines.push(`    ${node(byId.get(id)!)}`);
    lines.push('  end');
  });
  for (const s of plan.stages) for (const dep of s.needs) lines.push(`  ${dep} --> ${s.id}`);
  const forEach = plan.stages.filter((s) => s.forEach).map((s) => s.id);
  const when = plan.stages.filter((s) => s.when).map((s) => s.id);
  if (forEach.length) lines.push('  classDef forEach stroke-width:3px,stroke-dasharray:4 2', `  class ${forEach.join(',')} forEach`);
  if (when.length) lines.push('  classDef when fill:#fff7e0', `  class ${when.join(',')} when`);
  return lines.join('\n');
}

function node(s: PlanStage): string {
  const label = [`<b>${s.id}</b>`, escape(s.uses)];
  if (s.forEach) label.push(escape(`forEach ${templateText(s.forEach)}${s.concurrency === undefined ? '' : `, ≤${s.concurrency} at once`}`));
  if (s.when) label.push(escape(`when ${templateText(s.when)}`));
  const text = `"${label.join('<br/>')}"`;
  // Subroutine shape [[ ]] for fan-out, hexagon {{ }} for conditional, box otherwise.
  if (s.forEach) return `${s.id}[[${text}]]`;
  if (s.when) return `${s.id}{{${text}}}`;
  return `${s.id}[${text}]`;
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
