// Checks a stage's `with:` against its activity's JSON Schema. Values that are whole
// expressions are only known at run time, so their types are not checked here.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { JsonSchema } from './activity-spec';
import { deepEqual } from './expr/values';
import type { Diagnostics } from './diagnostics';
import { pathProblem } from './paths';
import { withSuggestion } from './suggest';
import { deref, describeValue, kindOf, quietEntries, toJson, type NodeContext, type YNode } from './yaml-nodes';

export interface InputProblem {
  node: YNode;
  message: string;
}

/**
 * Problems of `node` against `schema`. `path` names the input for messages ('a.b[0]', '' at the
 * root); missing required properties are reported at `anchor` (the `with` key at the root).
 */
export function checkInput(ctx: NodeContext, node: YNode, schema: JsonSchema, path: string, activity: string, anchor: YNode = node): InputProblem[] {
  const problems: InputProblem[] = [];
  const fail = (at: YNode, message: string) => problems.push({ node: at, message });
  if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${{')) {
    const wholeExpression = /^\s*\$\{\{[\s\S]*\}\}\s*$/.test(node.value) && node.value.indexOf('${{', 3) < 0;
    if (wholeExpression || !schema.type || typeAllows(schema.type, 'string')) return problems;
  }
  if (schema.oneOf) {
    const matches = schema.oneOf.filter((branch) => checkInput(ctx, node, branch, path, activity).length === 0);
    if (matches.length === 0) fail(node, `input '${path}' of ${activity} matches none of its allowed forms, got ${describeValue(node)}`);
    return problems;
  }
  const kind = kindOf(node);
  if (schema.type && !typeAllows(schema.type, kind)) {
    fail(node, `input '${path}' of ${activity} must be ${typeList(schema.type)}, got ${describeValue(node)}`);
    return problems;
  }
  if (schema.enum && !schema.enum.some((v) => deepEqual(v, toJson(ctx, node)))) {
    const options = schema.enum.map((v) => JSON.stringify(v).replace(/^"(.*)"$/, "'$1'")).join(', ');
    const base = `input '${path}' of ${activity} must be one of ${options}, got ${describeValue(node)}`;
    const value = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
    fail(node, value === undefined ? base : withSuggestion(base, value, schema.enum.filter((v): v is string => typeof v === 'string')));
  }
  if (isScalar(node) && typeof node.value === 'number') {
    if (schema.minimum !== undefined && node.value < schema.minimum) fail(node, `input '${path}' of ${activity} must be at least ${schema.minimum}, got ${node.value}`);
    if (schema.maximum !== undefined && node.value > schema.maximum) fail(node, `input '${path}' of ${activity} must be at most ${schema.maximum}, got ${node.value}`);
  }
  if (isScalar(node) && typeof node.value === 'string' && schema.format === 'path') {
    const problem = pathProblem(node.value, ctx.roots);
    if (problem) fail(node, `input '${path}' of ${activity}: path '${node.value}' ${problem}`);
  }
  if (isScalar(node) && typeof node.value === 'string' && schema.pattern && !new RegExp(schema.pattern, 'u').test(node.value)) {
    fail(node, `input '${path}' of ${activity} must match /${schema.pattern}/, got ${describeValue(node)}`);
  }
  if (isSeq(node)) {
    if (schema.minItems !== undefined && node.items.length < schema.minItems) {
      fail(node, `input '${path}' of ${activity} needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}, got ${node.items.length}`);
    }
    if (schema.items) node.items.forEach((item, i) => problems.push(...checkInput(ctx, deref(ctx, item), schema.items!, `${path}[${i}]`, activity)));
  }
  if (isMap(node)) problems.push(...checkObject(ctx, node, schema, path, activity, anchor));
  return problems;
}

function checkObject(ctx: NodeContext, node: Node & { items: unknown[] }, schema: JsonSchema, path: string, activity: string, anchor: YNode): InputProblem[] {
  const problems: InputProblem[] = [];
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const present = new Set<string>();
  for (const { key, keyNode, value } of quietEntries(ctx, node as never)) {
    present.add(key);
    const property = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (property) problems.push(...checkInput(ctx, value, property, join(path, key), activity));
    else if (typeof schema.additionalProperties === 'object') problems.push(...checkInput(ctx, value, schema.additionalProperties, join(path, key), activity));
    else if (schema.additionalProperties !== true && schema.properties) {
      const message = withSuggestion(`unknown input '${join(path, key)}' for ${activity}`, key, names);
      const listed = message.includes('Did you mean') ? '' : ` (it takes ${names.length ? names.join(', ') : 'no inputs'})`;
      problems.push({ node: keyNode, message: message + listed });
    }
  }
  const missing = (schema.required ?? []).filter((name) => !present.has(name)).map((name) => join(path, name));
  if (missing.length > 0) problems.push({ node: anchor, message: missingInputs(missing, activity) });
  return problems;
}

export function reportInputProblems(diag: Diagnostics, problems: InputProblem[]): void {
  for (const p of problems) diag.at(p.node, 'input-schema', p.message);
}

function typeAllows(type: JsonSchema['type'], kind: string): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => t === kind || (t === 'number' && kind === 'integer') || (t === 'object' && kind === 'mapping') || (t === 'array' && kind === 'list'));
}

function typeList(type: JsonSchema['type']): string {
  const words: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean', null: 'null' };
  const types = Array.isArray(type) ? type : [type!];
  return types.map((t) => words[t] ?? t).join(' or ');
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** `missing required input 'a' for x` / `missing required inputs 'a', 'b' for x`. */
export function missingInputs(names: string[], activity: string): string {
  return `missing required input${names.length > 1 ? 's' : ''} ${names.map((n) => `'${n}'`).join(', ')} for ${activity}`;
}
