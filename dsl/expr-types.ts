// What an expression's value is known to be before a run: enough to refuse `forEach` over a value
// that can never be a list (a string param, a comparison, a join()). Anything that depends on
// run-time data (stage outputs, item, fromJSON) is 'unknown' and passes.
import type { Expr } from './expr/ast';
import type { ParamType, PlanParam } from './plan';

export type StaticType = 'string' | 'number' | 'boolean' | 'null' | 'list' | 'mapping' | 'unknown';

const OF_PARAM: Record<ParamType, StaticType> = {
  string: 'string',
  date: 'string',
  duration: 'string',
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
  array: 'list',
  object: 'mapping',
};

const OF_FUNCTION: Record<string, StaticType> = {
  length: 'number',
  contains: 'boolean',
  startsWith: 'boolean',
  endsWith: 'boolean',
  join: 'string',
  format: 'string',
  toJSON: 'string',
  dateAdd: 'string',
  dateFormat: 'string',
  range: 'list',
};

/** The declared param an expression reads directly (`params.x`, `params['x']`), if any. */
export function paramOf(expr: Expr): string | undefined {
  if (expr.type === 'member' && expr.object.type === 'ident' && expr.object.name === 'params') return expr.property;
  if (expr.type === 'index' && expr.object.type === 'ident' && expr.object.name === 'params' && expr.index.type === 'literal' && typeof expr.index.value === 'string') {
    return expr.index.value;
  }
  return undefined;
}

export function staticType(expr: Expr, params: Readonly<Record<string, PlanParam>>): StaticType {
  switch (expr.type) {
    case 'literal':
      return expr.value === null ? 'null' : (typeof expr.value as StaticType);
    case 'array':
      return 'list';
    case 'unary':
      return expr.op === '!' ? 'boolean' : 'number';
    case 'call':
      return Object.prototype.hasOwnProperty.call(OF_FUNCTION, expr.name) ? OF_FUNCTION[expr.name] : 'unknown';
    case 'ident':
      return expr.name === 'index' ? 'number' : expr.name === 'item' ? 'unknown' : 'mapping';
    case 'member':
    case 'index': {
      const name = paramOf(expr);
      if (name !== undefined) return Object.prototype.hasOwnProperty.call(params, name) ? OF_PARAM[params[name].type] : 'unknown';
      if (expr.object.type === 'ident' && expr.object.name === 'run') return 'string';
      return 'unknown';
    }
    case 'binary':
      return binaryType(expr, params);
  }
}

function binaryType(expr: Extract<Expr, { type: 'binary' }>, params: Readonly<Record<string, PlanParam>>): StaticType {
  switch (expr.op) {
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return 'boolean';
    case '-':
    case '*':
    case '/':
    case '%':
      return 'number';
    case '+': {
      const [l, r] = [staticType(expr.left, params), staticType(expr.right, params)];
      if (l === 'string' || r === 'string') return 'string';
      if (l === 'number' && r === 'number') return 'number';
      return l === 'list' && r === 'list' ? 'list' : 'unknown';
    }
    case '&&':
    case '||': {
      const [l, r] = [staticType(expr.left, params), staticType(expr.right, params)];
      return l === r ? l : 'unknown';
    }
  }
}
