// `${{ }}` templates inside strings: parsing (compile time) and rendering (run time).
import type { ExprScope, Template } from '../plan';
import type { Expr } from './ast';
import { ExprError } from './errors';
import { evaluate } from './evaluator';
import { parseExpression } from './parser';
import { dict, toText } from './values';

const OPEN = '${{';
const CLOSE = '}}';

/** A located template error; offsets are into the template string. */
export interface TemplateError {
  message: string;
  start: number;
  end: number;
}

/** One `${{ }}` found in a string: its expression and where its source starts in the string. */
export interface TemplatePart {
  expr: Expr;
  source: string;
  offset: number;
}

export function hasExpression(text: string): boolean {
  return text.includes(OPEN);
}

/** Parses a string; expressions' errors are reported with offsets into `text`. */
export function parseTemplateString(text: string): { template?: Template; parts: TemplatePart[]; errors: TemplateError[] } {
  const pieces: Array<string | TemplatePart> = [];
  const errors: TemplateError[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf(OPEN, pos);
    if (open < 0) {
      pieces.push(text.slice(pos));
      break;
    }
    if (open > pos) pieces.push(text.slice(pos, open));
    const close = findClose(text, open + OPEN.length);
    if (close < 0) {
      errors.push(unterminated(text, open));
      break;
    }
    const inner = text.slice(open + OPEN.length, close);
    const lead = inner.length - inner.trimStart().length;
    const source = inner.trim();
    const offset = open + OPEN.length + lead;
    try {
      pieces.push({ expr: parseExpression(source), source, offset });
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      errors.push({ message: e.message, start: offset + e.start, end: offset + Math.max(e.end, e.start + 1) });
    }
    pos = close + CLOSE.length;
  }
  const parts = pieces.filter((p): p is TemplatePart => typeof p !== 'string');
  if (errors.length > 0) return { parts, errors };
  if (parts.length === 0) return { template: { kind: 'literal', value: text }, parts, errors };
  // One expression with only whitespace around it keeps its type, like the YAML plain scalar would.
  const onlyWhitespaceAround = pieces.every((p) => typeof p !== 'string' || p.trim() === '');
  if (parts.length === 1 && onlyWhitespaceAround) return { template: { kind: 'expr', expr: parts[0].expr, source: parts[0].source }, parts, errors };
  const templateParts = pieces.map((p) => (typeof p === 'string' ? p : { expr: p.expr, source: p.source }));
  return { template: { kind: 'interpolate', parts: templateParts }, parts, errors };
}

/** Why no `}}` closes the expression at `open`: usually a string quote left open inside it. */
function unterminated(text: string, open: number): TemplateError {
  const naiveClose = text.indexOf(CLOSE, open + OPEN.length);
  if (naiveClose >= 0) {
    const source = text.slice(open + OPEN.length, naiveClose);
    try {
      parseExpression(source);
    } catch (e) {
      if (e instanceof ExprError) return { message: e.message, start: open + OPEN.length + e.start, end: open + OPEN.length + e.end };
    }
  }
  return { message: "unterminated '${{' (missing '}}')", start: open, end: text.length };
}

/** The index of the `}}` closing an expression, skipping quoted strings; -1 if none. */
function findClose(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (text.startsWith(CLOSE, i)) {
      return i;
    }
  }
  return -1;
}

export function renderTemplate(t: Template, scope: ExprScope): unknown {
  switch (t.kind) {
    case 'literal':
      return t.value;
    case 'expr':
      return evaluateSource(t.expr, t.source, scope);
    case 'interpolate':
      return t.parts.map((p) => (typeof p === 'string' ? p : toText(evaluateSource(p.expr, p.source, scope)))).join('');
    case 'object': {
      const out = dict<unknown>();
      for (const [key, value] of Object.entries(t.entries)) out[key] = renderTemplate(value, scope);
      return out;
    }
    case 'array':
      return t.items.map((item) => renderTemplate(item, scope));
  }
}

/** Evaluates, naming the expression in any error so a failed stage says which one broke. */
function evaluateSource(expr: Expr, source: string, scope: ExprScope): unknown {
  try {
    return evaluate(expr, scope);
  } catch (e) {
    if (e instanceof ExprError) throw new ExprError(`${e.message} in \${{ ${source} }}`, e.start, e.end);
    throw e;
  }
}
