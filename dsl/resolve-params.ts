// Turns the values a user gives for a run (`--param k=v`, schedule params) into typed params:
// defaults applied, text read and checked by the param-type table (param-types.ts, the same
// rules as YAML defaults), unknown or missing params reported.
import { readParam } from './param-types';
import type { Plan, PlanParam } from './plan';
import { dict } from './expr/values';

export interface ResolvedParams {
  values: Record<string, unknown>;
  errors: string[];
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
      const r = readParam(given[name], p.type, p.items);
      if ('value' in r) values[name] = r.value;
      else errors.push(`param '${name}' ${r.problem}`);
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
