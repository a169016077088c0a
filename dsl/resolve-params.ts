// Turns the values a user gives for a run (`--param k=v`, schedule params) into typed params:
// defaults applied, strings coerced to the declared type, unknown or missing params reported.
import type { ParamType, Plan, PlanParam } from './plan';
import { dict } from './expr/values';

export interface ResolvedParams {
  values: Record<string, unknown>;
  errors: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const DURATION = /^(\d+(ms|s|m|h|d|w))+$/;

function coerce(value: unknown, type: ParamType, items?: ParamType): { ok: true; value: unknown } | { ok: false; why: string } {
  const s = typeof value === 'string' ? value.trim() : undefined;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : { ok: false, why: 'expected a string' };
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : s !== undefined && s !== '' ? Number(s) : NaN;
      if (!Number.isFinite(n)) return { ok: false, why: `expected ${type === 'integer' ? 'an integer' : 'a number'}` };
      if (type === 'integer' && !Number.isInteger(n)) return { ok: false, why: 'expected an integer' };
      return { ok: true, value: n };
    }
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (s === 'true' || s === 'false') return { ok: true, value: s === 'true' };
      return { ok: false, why: 'expected true or false' };
    case 'date':
      return s !== undefined && DATE.test(s) && isRealDate(s) ? { ok: true, value: s } : { ok: false, why: 'expected a date like 2023-04-01' };
    case 'duration':
      return s !== undefined && DURATION.test(s) ? { ok: true, value: s } : { ok: false, why: 'expected a duration like 30s, 15m or 1h30m' };
    case 'array': {
      let list: unknown = value;
      if (s !== undefined) list = s.startsWith('[') ? safeJson(s) : s === '' ? [] : s.split(',').map((x) => x.trim());
      if (!Array.isArray(list)) return { ok: false, why: 'expected a list (JSON array or comma-separated)' };
      if (!items) return { ok: true, value: list };
      const out: unknown[] = [];
      for (const [i, v] of list.entries()) {
        const c = coerce(v, items);
        if (!c.ok) return { ok: false, why: `item ${i}: ${c.why}` };
        out.push(c.value);
      }
      return { ok: true, value: out };
    }
    case 'object': {
      const o = s !== undefined ? safeJson(s) : value;
      return o && typeof o === 'object' && !Array.isArray(o) ? { ok: true, value: o } : { ok: false, why: 'expected a JSON object' };
    }
  }
}

/** Date.parse accepts 2023-02-30; a real calendar day survives the round trip through toISOString. */
function isRealDate(s: string): boolean {
  const day = s.slice(0, 10);
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(day) && !Number.isNaN(Date.parse(s));
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

export function resolveParams(plan: Plan, given: Record<string, unknown>): ResolvedParams {
  const values = dict<unknown>();
  const errors: string[] = [];
  const declared: Record<string, PlanParam> = plan.params ?? {};
  for (const name of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(declared, name)) {
      const known = Object.keys(declared);
      errors.push(`unknown param '${name}'${known.length ? ` (pipeline '${plan.name}' has: ${known.join(', ')})` : ` (pipeline '${plan.name}' has no params)`}`);
    }
  }
  for (const [name, p] of Object.entries(declared)) {
    if (Object.prototype.hasOwnProperty.call(given, name)) {
      const c = coerce(given[name], p.type, p.items);
      if (c.ok) values[name] = c.value;
      else errors.push(`param '${name}': ${c.why}, got ${JSON.stringify(given[name])}`);
    } else if (p.default !== undefined) {
      values[name] = p.default;
    } else if (p.required) {
      errors.push(`param '${name}' is required (type ${p.type}) and has no default`);
    } else {
      values[name] = null;
    }
  }
  return { values, errors };
}
