// `params:` — declarations (`name: { type, default, … }`) or shorthands (`name: <literal>`).
// A mapping is always a declaration, so a misspelt key (`typ:`) is reported, not taken for an
// object default: an object param is declared `{ type: object, default: { … } }`.
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { paramProblem } from './param-types';
import type { ParamType, PlanParam } from './plan';
import { dict } from './expr/values';
import { nonAsciiNote } from './lookalike';
import { closest, withSuggestion } from './suggest';
import { asMap, asString, deref, describeValue, entries, kindOf, quietEntries, toJson, type NodeContext, type YNode } from './yaml-nodes';

export const PARAM_TYPES: readonly ParamType[] = ['string', 'number', 'integer', 'boolean', 'date', 'duration', 'array', 'object'];
const DECLARATION_KEYS = ['type', 'default', 'description', 'items'];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface CompiledParams {
  /** The params declared without error. */
  params: Record<string, PlanParam>;
  /** Every declared name, so a broken declaration does not also make its uses unknown. */
  names: ReadonlySet<string>;
}

export function compileParams(ctx: NodeContext, node: YNode): CompiledParams {
  const params = dict<PlanParam>();
  const names = new Set<string>();
  const map = asMap(ctx, node, 'params');
  if (!map) return { params, names };
  for (const { key, keyNode, value } of entries(ctx, map, { what: 'params' })) {
    names.add(key);
    if (!IDENTIFIER.test(key)) {
      ctx.diag.at(keyNode, 'invalid-value', `param name '${key}' must be an identifier (letters, digits, _)${nonAsciiNote(key)}`);
      continue;
    }
    const param = isMap(value) ? declaration(ctx, key, keyNode, value) : shorthand(ctx, key, value);
    if (param) params[key] = param;
  }
  return { params, names };
}

function declaration(ctx: NodeContext, name: string, keyNode: YNode, map: YAMLMap): PlanParam | undefined {
  const keys = quietEntries(ctx, map).map((e) => e.key);
  const near = (key: string) => (DECLARATION_KEYS.includes(key) ? key : closest(key, DECLARATION_KEYS));
  if (!keys.some(near)) {
    ctx.diag.at(keyNode, 'missing-key', `param '${name}' is a mapping without 'type': a mapping declares a param ({ type: …, default: … }); an object param is { type: object, default: { … } }`);
    return undefined;
  }
  const fields = new Map(entries(ctx, map, { what: `param '${name}'`, allowed: DECLARATION_KEYS }).map((e) => [e.key, e.value]));
  if (!fields.has('type')) {
    // A misspelt 'type' is reported as such by entries().
    if (!keys.some((k) => near(k) === 'type')) ctx.diag.at(keyNode, 'missing-key', `param '${name}' is missing required key 'type'`);
    return undefined;
  }
  const type = paramType(ctx, fields.get('type')!, `param '${name}'`);
  if (!type) return undefined;
  const param: PlanParam = { type, required: !fields.has('default') };
  if (fields.has('items')) {
    const items = fields.get('items')!;
    if (type !== 'array') ctx.diag.at(items, 'invalid-value', `'items' only applies to params of type array (param '${name}' is ${type})`);
    else param.items = paramType(ctx, items, `items of param '${name}'`);
  }
  if (fields.has('description')) param.description = asString(ctx, fields.get('description')!, `description of param '${name}'`);
  const dflt = fields.get('default');
  if (dflt !== undefined && checkParamValue(ctx, dflt, param, `default of param '${name}'`)) {
    param.default = toJson(ctx, dflt);
  }
  return param;
}

function paramType(ctx: NodeContext, node: YNode, what: string): ParamType | undefined {
  const text = asString(ctx, node, `type of ${what}`);
  if (text === undefined) return undefined;
  if ((PARAM_TYPES as string[]).includes(text)) return text as ParamType;
  ctx.diag.at(node, 'param-type', withSuggestion(`${what} has unknown type '${text}' (expected ${PARAM_TYPES.join(', ')})`, text, PARAM_TYPES));
  return undefined;
}

function shorthand(ctx: NodeContext, name: string, node: YNode): PlanParam | undefined {
  const type = inferType(node);
  if (!type) {
    ctx.diag.at(node, 'param-type', `param '${name}' has no default to infer its type from; declare it as { type: …, default: … }`);
    return undefined;
  }
  const param: PlanParam = { type, required: false, default: toJson(ctx, node) };
  if (type === 'array' && isSeq(node)) {
    const itemTypes = new Set(node.items.map((item) => inferType(item as YNode)));
    if (itemTypes.size === 1) param.items = [...itemTypes][0];
  }
  return param;
}

function inferType(node: YNode): ParamType | undefined {
  const kind = kindOf(node);
  if (kind === 'mapping') return 'object';
  if (kind === 'list') return 'array';
  if (kind === 'integer' || kind === 'number' || kind === 'string' || kind === 'boolean') return kind;
  return undefined;
}

/** Reports (and returns false) when `node` is not a valid value of the param's type (param-types.ts). */
export function checkParamValue(ctx: NodeContext, node: YNode, param: Pick<PlanParam, 'type' | 'items'>, what: string): boolean {
  const problem = paramProblem(toJson(ctx, node), param.type, describeValue(node));
  if (problem) {
    ctx.diag.at(node, 'param-type', `${what} ${problem}`);
    return false;
  }
  if (param.type === 'array' && param.items && isSeq(node)) {
    return node.items.every((item, i) => checkParamValue(ctx, deref(ctx, item), { type: param.items! }, `item ${i} of ${what}`));
  }
  return true;
}
