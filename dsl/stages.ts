// One stage's mapping → a draft: everything but the checks that need the whole graph.
import { isScalar, isSeq, type Scalar } from 'yaml';
import type { ActivitySpec } from './activity-spec';
import { checkInput, missingInputs, reportInputProblems } from './input-schema';
import type { PlanRetry, PlanTimeout, Template } from './plan';
import { compileRetry, compileTimeout, type TimeoutNodes } from './policies';
import { nonAsciiNote } from './lookalike';
import { withSuggestion } from './suggest';
import { compileBareExpression, compileTemplate, type LocatedExpr } from './templates';
import type { Expr } from './expr/ast';
import { STATUS_FUNCTIONS } from './expr/functions';
import { asBoolean, asMap, asNumber, asString, describeValue, entries, isStringNode, type NodeContext, type YNode } from './yaml-nodes';

export const STAGE_KEYS = ['uses', 'with', 'needs', 'forEach', 'concurrency', 'when', 'retry', 'timeout', 'cache', 'description'];
export const STAGE_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Expressions of a stage, grouped by whether `item`/`index` are visible in them. */
export interface StageExpressions {
  located: LocatedExpr[];
  itemVisible: true | string;
}

export interface StageDraft {
  id: string;
  keyNode: Scalar;
  uses?: string;
  spec?: ActivitySpec;
  needs: Array<{ id: string; node: YNode }>;
  with: Template;
  forEach?: Template;
  /** forEach's expression when it is a single `${{ }}` (its type is checked with the params). */
  forEachExpr?: LocatedExpr;
  concurrency?: number;
  when?: Template;
  whenChecksStatus?: true;
  /** `cache:` of the stage (undefined: as `defaults.cache`). */
  cache?: boolean;
  retry: Partial<PlanRetry>;
  /** The stage's `retry:` value, to locate errors found after merging with defaults. */
  retryNode?: YNode;
  timeout: Partial<PlanTimeout>;
  timeoutNodes: TimeoutNodes;
  description?: string;
  expressions: StageExpressions[];
}

export function compileStage(ctx: NodeContext, id: string, keyNode: Scalar, node: YNode, catalog: Record<string, ActivitySpec>): StageDraft {
  if (!STAGE_ID.test(id)) ctx.diag.at(keyNode, 'invalid-value', `stage id '${id}' must be an identifier (letters, digits, _) so expressions can refer to it${nonAsciiNote(id)}`);
  const draft: StageDraft = { id, keyNode, needs: [], with: { kind: 'literal', value: {} }, retry: {}, timeout: {}, timeoutNodes: {}, expressions: [] };
  const map = asMap(ctx, node, `stage '${id}'`);
  // A broken stage still exists: stages that need it must not also be told it is unknown.
  if (!map) return draft;
  const fields = new Map(entries(ctx, map, { what: `stage '${id}'`, allowed: STAGE_KEYS }).map((e) => [e.key, e]));
  const value = (key: string) => fields.get(key)?.value ?? null;

  if (!fields.has('uses')) ctx.diag.at(keyNode, 'missing-key', `stage '${id}' is missing required key 'uses'`);
  else compileUses(ctx, draft, value('uses'), catalog);

  if (fields.has('needs')) draft.needs = compileNeeds(ctx, value('needs'), id);

  if (fields.has('forEach')) {
    const located: LocatedExpr[] = [];
    draft.forEach = compileForEach(ctx, value('forEach'), located, id);
    if (draft.forEach?.kind === 'expr' && located.length === 1) draft.forEachExpr = located[0];
    forbidStatusCalls(ctx, located, id);
    draft.expressions.push({ located, itemVisible: "cannot be used in forEach itself (it is what forEach produces)" });
  }
  if (fields.has('concurrency')) {
    const n = asNumber(ctx, value('concurrency'), `concurrency of stage '${id}'`, true);
    if (!fields.has('forEach')) ctx.diag.at(fields.get('concurrency')!.keyNode, 'invalid-value', `concurrency only applies to a stage with forEach (stage '${id}' has none)`);
    else if (n !== undefined && n < 1) ctx.diag.at(value('concurrency'), 'range', `concurrency of stage '${id}' must be at least 1, got ${n}`);
    else draft.concurrency = n;
  }
  if (fields.has('when')) {
    const located: LocatedExpr[] = [];
    draft.when = compileWhen(ctx, value('when'), located);
    if (located.some((l) => statusCalls(l.expr).length > 0)) draft.whenChecksStatus = true;
    draft.expressions.push({ located, itemVisible: "is not available in 'when' (it is evaluated once, before any fan-out)" });
  }
  const withEntry = fields.get('with');
  if (withEntry && withEntry.value !== null && !(isScalar(withEntry.value) && withEntry.value.value === null)) {
    if (asMap(ctx, withEntry.value, `with of stage '${id}'`)) {
      const located: LocatedExpr[] = [];
      draft.with = compileTemplate(ctx, withEntry.value, located, 'with', `stage '${id}'`);
      forbidStatusCalls(ctx, located, id);
      draft.expressions.push({ located, itemVisible: draft.forEach ? true : `is only available in stages with forEach (stage '${id}' has none)` });
      if (draft.spec) reportInputProblems(ctx.diag, checkInput(ctx, withEntry.value, draft.spec.input, '', draft.uses!, withEntry.keyNode));
    }
  } else if (draft.spec?.input.required?.length) {
    ctx.diag.at(fields.get('uses')!.value, 'input-schema', `${missingInputs(draft.spec.input.required, draft.uses!)} (stage '${id}' has no 'with')`);
  }
  if (fields.has('retry')) {
    draft.retry = compileRetry(ctx, value('retry'), `stage '${id}'`);
    draft.retryNode = value('retry');
  }
  if (fields.has('timeout')) draft.timeout = compileTimeout(ctx, value('timeout'), `stage '${id}'`, draft.timeoutNodes);
  if (fields.has('cache')) {
    draft.cache = asBoolean(ctx, value('cache'), `cache of stage '${id}'`);
    if (draft.cache && draft.spec?.notCacheable) ctx.diag.at(value('cache'), 'invalid-value', `stage '${id}' cannot be cached: ${draft.uses} must run every time (${draft.spec.notCacheable})`);
  }
  if (fields.has('description')) draft.description = asString(ctx, value('description'), `description of stage '${id}'`);
  return draft;
}

function compileUses(ctx: NodeContext, draft: StageDraft, node: YNode, catalog: Record<string, ActivitySpec>): void {
  const uses = asString(ctx, node, `uses of stage '${draft.id}'`);
  if (uses === undefined) return;
  draft.uses = uses;
  if (Object.prototype.hasOwnProperty.call(catalog, uses)) draft.spec = catalog[uses];
  else ctx.diag.at(node, 'unknown-activity', withSuggestion(`unknown activity type '${uses}'`, uses, Object.keys(catalog)));
}

function compileNeeds(ctx: NodeContext, node: YNode, id: string): Array<{ id: string; node: YNode }> {
  const items: YNode[] = isSeq(node) ? (node.items as YNode[]) : [node];
  if (!isSeq(node) && !isStringNode(node)) {
    ctx.diag.at(node, 'type', `needs of stage '${id}' must be a stage id or a list of stage ids, got ${describeValue(node)}`);
    return [];
  }
  const needs: Array<{ id: string; node: YNode }> = [];
  const seen = new Set<string>();
  for (const item of items) {
    const dep = asString(ctx, item, `each needs entry of stage '${id}'`);
    if (dep !== undefined && !seen.has(dep)) {
      seen.add(dep);
      needs.push({ id: dep, node: item });
    }
  }
  return needs;
}

function compileForEach(ctx: NodeContext, node: YNode, located: LocatedExpr[], id: string): Template | undefined {
  if (isSeq(node)) return compileTemplate(ctx, node, located, 'forEach', `stage '${id}'`);
  if (isStringNode(node) && node.value.includes('${{')) {
    const t = compileTemplate(ctx, node, located, 'forEach', `stage '${id}'`);
    if (t.kind !== 'interpolate') return t;
    ctx.diag.at(node, 'type', 'forEach must be a single ${{ }} expression that evaluates to a list, not text around one');
    return undefined;
  }
  ctx.diag.at(node, 'type', `forEach must be a list or a \${{ }} expression, got ${describeValue(node)}`);
  return undefined;
}

function compileWhen(ctx: NodeContext, node: YNode, located: LocatedExpr[]): Template | undefined {
  if (isScalar(node) && typeof node.value === 'boolean') return { kind: 'literal', value: node.value };
  if (isStringNode(node)) {
    const t = compileBareExpression(ctx, node, located);
    if (t || located.length === 0) return t;
    ctx.diag.at(node, 'type', 'when must be a single expression, not text around one');
    return undefined;
  }
  ctx.diag.at(node, 'type', `when must be an expression or a boolean, got ${describeValue(node)}`);
  return undefined;
}

/** Calls of status functions (always(), failure(), ...) in an expression. */
function statusCalls(expr: Expr): Array<Extract<Expr, { type: 'call' }>> {
  const out: Array<Extract<Expr, { type: 'call' }>> = [];
  const walk = (e: Expr): void => {
    switch (e.type) {
      case 'call':
        if (STATUS_FUNCTIONS.includes(e.name)) out.push(e);
        return e.args.forEach(walk);
      case 'member':
        return walk(e.object);
      case 'index':
        walk(e.object);
        return walk(e.index);
      case 'unary':
        return walk(e.operand);
      case 'binary':
        walk(e.left);
        return walk(e.right);
      case 'array':
        return e.items.forEach(walk);
    }
  };
  walk(expr);
  return out;
}

/** Status functions describe the run's progress: they mean something only in `when`. */
function forbidStatusCalls(ctx: NodeContext, located: LocatedExpr[], id: string): void {
  for (const l of located) {
    for (const call of statusCalls(l.expr)) {
      ctx.diag.atOffsets(l.offset + call.start, l.offset + call.end, 'invalid-value', `${call.name}() can only be used in 'when' (stage '${id}')`);
    }
  }
}
