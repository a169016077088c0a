// YAML values → Templates, remembering where each expression sits in the YAML source so later
// passes (reference checks) can report at the right column.
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Expr } from './expr/ast';
import { ExprError } from './expr/errors';
import { parseExpression } from './expr/parser';
import { parseTemplateString } from './expr/template';
import type { Template } from './plan';
import { dict } from './expr/values';
import { deref, entries, toJson, type NodeContext, type YNode } from './yaml-nodes';

/** An expression and the absolute source offset its text starts at. */
export interface LocatedExpr {
  expr: Expr;
  offset: number;
}

/** `path` ('with.gbdt') and `owner` ("stage 'a'") name the value in messages. */
export function compileTemplate(ctx: NodeContext, node: YNode, found: LocatedExpr[], path: string, owner: string): Template {
  if (isScalar(node) && typeof node.value === 'string') return compileString(ctx, node as Scalar<string>, found);
  if (isSeq(node)) {
    return collapse({ kind: 'array', items: node.items.map((item, i) => compileTemplate(ctx, deref(ctx, item), found, `${path}[${i}]`, owner)) }, ctx, node);
  }
  if (isMap(node)) {
    const entriesOut = dict<Template>();
    for (const { key, value } of entries(ctx, node, { what: `'${path}' of ${owner}` })) {
      entriesOut[key] = compileTemplate(ctx, value, found, `${path}.${key}`, owner);
    }
    return collapse({ kind: 'object', entries: entriesOut }, ctx, node);
  }
  return { kind: 'literal', value: toJson(ctx, node) };
}

/** Objects and arrays without any expression inside become one literal. */
function collapse(t: Template, ctx: NodeContext, node: YNode): Template {
  const children = t.kind === 'array' ? t.items : t.kind === 'object' ? Object.values(t.entries) : [];
  return children.every((c) => c.kind === 'literal') ? { kind: 'literal', value: toJson(ctx, node) } : t;
}

function compileString(ctx: NodeContext, node: Scalar<string>, found: LocatedExpr[]): Template {
  const { template, parts, errors } = parseTemplateString(node.value);
  for (const e of errors) {
    ctx.diag.atOffsets(sourceOffset(ctx, node, e.start), sourceOffset(ctx, node, e.end), 'expr-syntax', `invalid expression: ${e.message}`);
  }
  for (const part of parts) found.push({ expr: part.expr, offset: sourceOffset(ctx, node, part.offset) });
  return template ?? { kind: 'literal', value: node.value };
}

/** A whole string as one expression, with or without `${{ }}` (used by `when:`). */
export function compileBareExpression(ctx: NodeContext, node: Scalar<string>, found: LocatedExpr[]): Template | undefined {
  if (node.value.includes('${{')) {
    const t = compileString(ctx, node, found);
    return t.kind === 'interpolate' ? undefined : t;
  }
  const source = node.value.trim();
  const lead = node.value.length - node.value.trimStart().length;
  try {
    const expr = parseExpression(source);
    found.push({ expr, offset: sourceOffset(ctx, node, lead) });
    return { kind: 'expr', expr, source };
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    ctx.diag.atOffsets(sourceOffset(ctx, node, lead + e.start), sourceOffset(ctx, node, lead + e.end), 'expr-syntax', `invalid expression: ${e.message}`);
    return undefined;
  }
}

/**
 * Maps an offset in a scalar's value to an offset in the YAML source. Exact for plain and
 * unescaped quoted scalars; otherwise anchored on the nearest preceding `${{`, which is exact
 * unless escapes or line folding occur inside the expression itself.
 */
export function sourceOffset(ctx: NodeContext, node: Scalar, valueOffset: number): number {
  const [start, end] = node.range ?? [0, 0];
  const raw = ctx.text.slice(start, end);
  const value = String(node.value);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (node.type === 'PLAIN' || (quoted && raw.length === value.length + 2 && raw.slice(1, -1) === value)) {
    return start + (quoted ? 1 : 0) + valueOffset;
  }
  const anchor = value.lastIndexOf('${{', valueOffset);
  if (anchor < 0) return start + (quoted ? 1 : 0) + Math.min(valueOffset, raw.length);
  const nth = countOccurrences(value.slice(0, anchor), '${{');
  let rawAnchor = -1;
  for (let i = 0; i <= nth; i++) rawAnchor = raw.indexOf('${{', rawAnchor + 1);
  return rawAnchor < 0 ? start : start + rawAnchor + (valueOffset - anchor);
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) count++;
  return count;
}
