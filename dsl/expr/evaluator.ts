// Deterministic, side-effect-free evaluation of an Expr against an ExprScope.
// Member access reads own properties only; anything missing reads as null.
import type { ExprScope } from '../plan';
import type { Expr } from './ast';
import { ExprError, FORBIDDEN_MEMBERS } from './errors';
import { FUNCTIONS } from './functions';
import { deepEqual, isTruthy, toText, typeName } from './values';

export function evaluate(expr: Expr, scope: ExprScope): unknown {
  switch (expr.type) {
    case 'literal':
      return expr.value;
    case 'ident':
      return lookupRoot(expr.name, scope);
    case 'member':
      return member(evaluate(expr.object, scope), expr.property, expr);
    case 'index':
      return member(evaluate(expr.object, scope), evaluate(expr.index, scope), expr);
    case 'array':
      return expr.items.map((item) => evaluate(item, scope));
    case 'unary': {
      const value = evaluate(expr.operand, scope);
      if (expr.op === '!') return !isTruthy(value);
      if (typeof value !== 'number') throw new ExprError(`cannot negate ${typeName(value)}`, expr.start, expr.end);
      return -value;
    }
    case 'binary':
      return binary(expr, scope);
    case 'call': {
      const args = expr.args.map((arg) => evaluate(arg, scope));
      try {
        return FUNCTIONS[expr.name].call(args, scope);
      } catch (e) {
        throw new ExprError((e as Error).message, expr.start, expr.end);
      }
    }
  }
}

function lookupRoot(name: string, scope: ExprScope): unknown {
  switch (name) {
    case 'params':
      return scope.params;
    case 'run':
      return scope.run;
    case 'stages':
      return scope.stages;
    case 'item':
      return scope.item ?? null;
    case 'index':
      return scope.index ?? null;
    default:
      return null;
  }
}

function member(object: unknown, key: unknown, at: Expr): unknown {
  if (object === null || object === undefined || typeof object !== 'object') return null;
  if (typeof key === 'number') {
    if (!Array.isArray(object) || !Number.isInteger(key) || key < 0) return null;
    return object[key] ?? null;
  }
  if (typeof key !== 'string') throw new ExprError(`cannot index with ${typeName(key)}`, at.start, at.end);
  if (FORBIDDEN_MEMBERS.has(key)) throw new ExprError(`access to '${key}' is not allowed`, at.start, at.end);
  if (!Object.prototype.hasOwnProperty.call(object, key)) return null;
  return (object as Record<string, unknown>)[key] ?? null;
}

function binary(expr: Extract<Expr, { type: 'binary' }>, scope: ExprScope): unknown {
  const left = evaluate(expr.left, scope);
  if (expr.op === '&&') return isTruthy(left) ? evaluate(expr.right, scope) : left;
  if (expr.op === '||') return isTruthy(left) ? left : evaluate(expr.right, scope);
  const right = evaluate(expr.right, scope);
  const fail = (what: string): never => {
    throw new ExprError(`cannot ${what} ${typeName(left)} and ${typeName(right)}`, expr.start, expr.end);
  };
  switch (expr.op) {
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
      if (!comparable) return fail('compare');
      const l = left as number | string;
      const r = right as number | string;
      return expr.op === '<' ? l < r : expr.op === '<=' ? l <= r : expr.op === '>' ? l > r : l >= r;
    }
    case '+':
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      if (typeof left === 'string' || typeof right === 'string') return toText(left) + toText(right);
      if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
      return fail('add');
    default: {
      if (typeof left !== 'number' || typeof right !== 'number') return fail(expr.op === '-' ? 'subtract' : expr.op === '*' ? 'multiply' : 'divide');
      if ((expr.op === '/' || expr.op === '%') && right === 0) throw new ExprError('division by zero', expr.start, expr.end);
      return expr.op === '-' ? left - right : expr.op === '*' ? left * right : expr.op === '/' ? left / right : left % right;
    }
  }
}
