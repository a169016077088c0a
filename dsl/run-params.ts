// A run's param values: given values checked against the plan's declarations, defaults filled in.
// Pure and yaml-free, so the client and the workflow can both use it.
import { parseDuration } from './duration';
import type { ParamType, PlanParam } from './plan';
import { withSuggestion } from './suggest';

export interface ResolvedParams {
  values: Record<string, unknown>;
  errors: string[];
}

export function resolveParams(declared: Record<string, PlanParam>, given: Record<string, unknown>): ResolvedParams {
  const values: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const param = Object.prototype.hasOwnProperty.call(declared, name) ? declared[name] : undefined;
    if (!param) {
      errors.push(withSuggestion(`unknown param '${name}'`, name, Object.keys(declared)));
      continue;
    }
    const problem = paramValueProblem(value, param.type, param.items);
    if (problem) errors.push(`param '${name}' ${problem}`);
    else values[name] = value;
  }
  for (const [name, param] of Object.entries(declared)) {
    if (Object.prototype.hasOwnProperty.call(given, name)) continue;
    if (param.required) errors.push(`param '${name}' is required (${param.type})`);
    else values[name] = param.default;
  }
  return { values, errors };
}

/** Why `value` is not a valid `type`, or undefined. */
export function paramValueProblem(value: unknown, type: ParamType, items?: ParamType): string | undefined {
  const got = `got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `${typeof value} ${JSON.stringify(value)}`}`;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, ${got}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `must be a number, ${got}`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `must be an integer, ${got}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be a boolean, ${got}`;
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : `must be an object, ${got}`;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? undefined : `must be a date (YYYY-MM-DD), ${got}`;
    case 'duration':
      return typeof value === 'string' && !('error' in parseDuration(value)) ? undefined : `must be a duration such as '30s', ${got}`;
    case 'array': {
      if (!Array.isArray(value)) return `must be a list, ${got}`;
      if (!items) return undefined;
      const bad = value.findIndex((v) => paramValueProblem(v, items) !== undefined);
      return bad < 0 ? undefined : `item ${bad} ${paramValueProblem(value[bad], items)}`;
    }
  }
}

/** A command-line value (`--param days=3`) converted to the param's type, or an error message. */
export function coerceParam(text: string, param: Pick<PlanParam, 'type' | 'items'>): { value: unknown } | { error: string } {
  let value: unknown = text;
  if (param.type === 'number' || param.type === 'integer') value = text.trim() === '' ? NaN : Number(text);
  else if (param.type === 'boolean') value = text === 'true' ? true : text === 'false' ? false : text;
  else if (param.type === 'array' || param.type === 'object') {
    try {
      value = JSON.parse(text);
    } catch {
      value = param.type === 'array' ? text.split(',').map((s) => coerceItem(s.trim(), param.items)) : text;
    }
  }
  const problem = paramValueProblem(value, param.type, param.items);
  // Name the text as typed, not its failed conversion (NaN would read as 'null').
  return problem ? { error: `${problem.replace(/, got [\s\S]*$/, '')}, got '${text}'` } : { value };
}

function coerceItem(text: string, type: ParamType | undefined): unknown {
  if (type === 'number' || type === 'integer') return Number(text);
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
