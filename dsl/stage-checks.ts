// Checks of a stage that need the pipeline's params: what forEach iterates over, and the
// params that flow into path inputs.
import { paramOf, staticType } from './expr-types';
import { pathInputs, pathProblem } from './paths';
import type { PlanParam, PlanSchedule } from './plan';
import type { StageDraft } from './stages';
import type { NodeContext } from './yaml-nodes';

/** forEach over a value that can never be a list (a string param, a comparison) fails every run. */
export function checkForEachType(ctx: NodeContext, draft: StageDraft, params: Readonly<Record<string, PlanParam>>): void {
  const located = draft.forEachExpr;
  if (!located || draft.forEach?.kind !== 'expr') return;
  const type = staticType(located.expr, params);
  if (type === 'list' || type === 'unknown') return;
  const param = paramOf(located.expr);
  const what = param !== undefined ? `param '${param}' is ${withArticle(params[param].type)}` : `'${draft.forEach.source}' is always ${withArticle(type)}`;
  ctx.diag.atOffsets(located.offset + located.expr.start, located.offset + located.expr.end, 'type', `forEach of stage '${draft.id}' needs a list, but ${what}`);
}

/**
 * A path input given as `${{ params.x }}`: the param's default and its schedule value must be
 * paths inside the folders too (a --param value is checked when the activity runs).
 */
export function checkPathParams(ctx: NodeContext, draft: StageDraft, params: Readonly<Record<string, PlanParam>>, schedule: PlanSchedule | undefined): void {
  if (!draft.spec || draft.with.kind !== 'object') return;
  for (const input of pathInputs(draft.spec.input)) {
    const t = Object.prototype.hasOwnProperty.call(draft.with.entries, input) ? draft.with.entries[input] : undefined;
    const name = t?.kind === 'expr' ? paramOf(t.expr) : undefined;
    if (t?.kind !== 'expr' || name === undefined || !Object.prototype.hasOwnProperty.call(params, name)) continue;
    const located = draft.expressions.flatMap((g) => g.located).find((l) => l.expr === t.expr)!;
    const given = [
      ['default', params[name].default],
      ['value in schedule.params', schedule?.params && Object.prototype.hasOwnProperty.call(schedule.params, name) ? schedule.params[name] : undefined],
    ] as const;
    for (const [where, value] of given) {
      const problem = typeof value === 'string' ? pathProblem(value, ctx.roots) : undefined;
      if (problem) {
        const message = `input '${input}' of ${draft.uses} takes param '${name}', whose ${where} '${value}' ${problem}`;
        ctx.diag.atOffsets(located.offset + t.expr.start, located.offset + t.expr.end, 'invalid-value', message);
      }
    }
  }
}

const withArticle = (type: string) => (type === 'null' ? 'null' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
