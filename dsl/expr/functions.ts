// The built-in functions an expression may call, with their arity (checked at parse time).
import type { ExprScope } from '../plan';
import { dateAdd, dateFormat } from './dates';
import { deepEqual, dict, toText, typeName } from './values';

export interface BuiltinFunction {
  arity: [min: number, max: number];
  call(args: unknown[], scope: ExprScope): unknown;
}

/**
 * Status functions, only in a stage's `when`. Using one makes the stage run whatever its needs
 * came to (after a failure too: notify, clean up), with `when` deciding:
 *   always()     true
 *   success()    no stage failed, the run is not cancelled, and every need succeeded
 *   failure()    a stage of the run failed
 *   cancelled()  the run is being cancelled
 * Without one, `when` is implicitly `success() && ...`: a stage runs only if its needs succeeded.
 */
export const STATUS_FUNCTIONS = ['always', 'success', 'failure', 'cancelled'];

function status(scope: ExprScope): NonNullable<ExprScope['status']> {
  if (!scope.status) throw new Error("status functions (always(), success(), failure(), cancelled()) can only be used in a stage's 'when'");
  return scope.status;
}

const MAX_RANGE = 100_000;

export const FUNCTIONS: Record<string, BuiltinFunction> = Object.assign(dict<BuiltinFunction>(), {
  length: { arity: [1, 1], call: ([x]) => length(x) },
  contains: { arity: [2, 2], call: ([hay, needle]) => contains(hay, needle) },
  startsWith: { arity: [2, 2], call: ([s, prefix]) => text(s, 'startsWith').startsWith(toText(prefix)) },
  endsWith: { arity: [2, 2], call: ([s, suffix]) => text(s, 'endsWith').endsWith(toText(suffix)) },
  join: { arity: [1, 2], call: ([list, sep]) => join(list, sep) },
  format: { arity: [1, Infinity], call: ([fmt, ...args]) => format(fmt, args) },
  toJSON: { arity: [1, 1], call: ([x]) => JSON.stringify(x ?? null) },
  fromJSON: { arity: [1, 1], call: ([s]) => fromJSON(s) },
  dateAdd: { arity: [2, 2], call: ([d, dur]) => dateAdd(d, dur) },
  dateFormat: { arity: [2, 2], call: ([d, fmt]) => dateFormat(d, fmt) },
  coalesce: { arity: [1, Infinity], call: (args) => args.find((a) => a !== null && a !== undefined) ?? null },
  range: { arity: [1, 2], call: (args) => range(args) },
  always: { arity: [0, 0], call: (_, scope) => (status(scope), true) },
  success: { arity: [0, 0], call: (_, scope) => ((s) => !s.failed && !s.cancelled && s.needsSucceeded)(status(scope)) },
  failure: { arity: [0, 0], call: (_, scope) => status(scope).failed },
  cancelled: { arity: [0, 0], call: (_, scope) => status(scope).cancelled },
} satisfies Record<string, BuiltinFunction>);

function text(v: unknown, fn: string): string {
  if (typeof v !== 'string') throw new Error(`${fn}() expects a string, got ${typeName(v)}`);
  return v;
}

function length(x: unknown): number {
  if (x === null || x === undefined) return 0;
  if (typeof x === 'string' || Array.isArray(x)) return x.length;
  if (typeof x === 'object') return Object.keys(x).length;
  throw new Error(`length() expects a string, array or object, got ${typeName(x)}`);
}

function contains(hay: unknown, needle: unknown): boolean {
  if (Array.isArray(hay)) return hay.some((x) => deepEqual(x, needle));
  if (typeof hay === 'string') return hay.includes(toText(needle));
  if (hay === null || hay === undefined) return false;
  throw new Error(`contains() expects a string or array, got ${typeName(hay)}`);
}

function join(list: unknown, sep: unknown): string {
  if (!Array.isArray(list)) throw new Error(`join() expects an array, got ${typeName(list)}`);
  return list.map(toText).join(sep === undefined || sep === null ? ',' : toText(sep));
}

function format(fmt: unknown, args: unknown[]): string {
  const template = text(fmt, 'format');
  return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const i = Number(index);
    if (i >= args.length) throw new Error(`format() has no argument {${i}} (got ${args.length})`);
    return toText(args[i]);
  });
}

function fromJSON(s: unknown): unknown {
  const source = text(s, 'fromJSON');
  try {
    return JSON.parse(source);
  } catch {
    throw new Error(`fromJSON() got invalid JSON: ${source.length > 40 ? source.slice(0, 40) + '…' : source}`);
  }
}

function range(args: unknown[]): number[] {
  const [from, to] = args.length === 1 ? [0, args[0]] : args;
  if (!Number.isInteger(from) || !Number.isInteger(to)) throw new Error('range() expects integers');
  const n = (to as number) - (from as number);
  if (n > MAX_RANGE) throw new Error(`range() is limited to ${MAX_RANGE} items`);
  return Array.from({ length: Math.max(0, n) }, (_, i) => (from as number) + i);
}
