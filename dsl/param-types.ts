// The one table of param types: what a value of each type is. YAML defaults and schedule params
// are checked on the value YAML read; `--param` text is read the way YAML reads a scalar (so
// `--param n=0x10` means what `default: 0x10` means), except that a string param takes the text
// as it is and a list also takes `a,b,c`; then the same rule checks it. So a value is accepted
// in a pipeline exactly when it is accepted on the command line.
import { parseDocument } from 'yaml';
import { parseDuration } from './duration';
import { FORBIDDEN_MEMBERS } from './expr/errors';
import type { ParamType } from './plan';

/** Why a value is not of a type: `must be an integer` (then `, got …`), or a complete reason. */
export interface Problem {
  text: string;
  /** Whether the value should be shown after the text (`, got string 'abc'`). */
  showValue: boolean;
}

interface TypeRule {
  problem(value: unknown): Problem | undefined;
  /** The type's command-line text form → a value to check (the text itself if it is none). */
  read(text: string): unknown;
}

const must = (text: string): Problem => ({ text: `must be ${text}`, showValue: true });

/** Text as YAML reads a value (core schema: `3`, `0x10`, `true`, `[1, 2]`, `{a: 1}`), or the text. */
function asYaml(text: string): unknown {
  // Anything yaml would only warn about (an unknown tag or directive, which it drops) keeps the text.
  try {
    const doc = parseDocument(text, { schema: 'core', prettyErrors: false, logLevel: 'silent' });
    if (doc.errors.length > 0 || doc.warnings.length > 0) return text;
    return doc.toJS() ?? null;
  } catch {
    return text; // e.g. an alias with no anchor ('*x')
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;
const DATE_TEXT = 'a date (YYYY-MM-DD, or a date-time with a zone such as 2024-04-01T00:00:00Z)';

/** A calendar day that exists (Date.parse accepts 2023-02-30). */
function isCalendarDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(day);
}

/** A date, or a date-time with a zone (without one it would mean the worker's local time). */
export function isParamDate(text: string): boolean {
  if (isCalendarDay(text)) return true;
  const m = DATE_TIME.exec(text);
  return m !== null && isCalendarDay(m[1]);
}

/** The first reserved key ('__proto__', …) anywhere inside a JSON value. */
function reservedKey(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const k = reservedKey(v);
      if (k !== undefined) return k;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_MEMBERS.has(k)) return k;
      const inner = reservedKey(v);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

export const PARAM_TYPE_RULES: Readonly<Record<ParamType, TypeRule>> = {
  string: {
    problem: (v) => (typeof v === 'string' ? undefined : must('a string')),
    read: (text) => text,
  },
  number: {
    problem: (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : must(typeof v === 'number' ? 'a finite number' : 'a number')),
    read: asYaml,
  },
  integer: {
    problem: (v) => {
      if (Number.isSafeInteger(v)) return undefined;
      return must(Number.isInteger(v) ? 'an integer between -(2^53 - 1) and 2^53 - 1' : 'an integer');
    },
    read: asYaml,
  },
  boolean: {
    problem: (v) => (typeof v === 'boolean' ? undefined : must('a boolean (true or false)')),
    read: asYaml,
  },
  date: {
    problem: (v) => (typeof v === 'string' && isParamDate(v) ? undefined : must(DATE_TEXT)),
    read: asYaml,
  },
  duration: {
    problem: (v) => {
      if (typeof v !== 'string') return must("a duration such as '30s' or '1h30m'");
      const parsed = parseDuration(v);
      return 'error' in parsed ? { text: `is not a valid duration: ${parsed.error}`, showValue: false } : undefined;
    },
    read: asYaml,
  },
  array: {
    problem: (v) => (Array.isArray(v) ? undefined : must('a list')),
    // Items of a comma list are text, read by the item type; a JSON list holds values already.
    read: (text) => (text.trim().startsWith('[') ? asYaml(text) : text.trim() === '' ? [] : text.split(',').map((x) => x.trim())),
  },
  object: {
    problem: (v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return must('a mapping');
      const key = reservedKey(v);
      return key === undefined ? undefined : { text: `has the key '${key}', which is reserved (it names a JavaScript object's internals)`, showValue: false };
    },
    read: asYaml,
  },
};

/** A JSON value for messages, as the YAML side shows it: `string 'abc'`, `integer 3`, `a list`. */
export function describeJson(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (typeof v === 'number') return `${Number.isInteger(v) ? 'integer' : 'number'} ${v}`;
  return `${typeof v} ${String(v)}`;
}

/** The problem of a value (not its items) as `<text>, got <shown>`, or undefined. */
export function paramProblem(value: unknown, type: ParamType, shown: string): string | undefined {
  const p = PARAM_TYPE_RULES[type].problem(value);
  return p && (p.showValue ? `${p.text}, got ${shown}` : p.text);
}

/**
 * A param value, read and checked: `asText` for command-line text (read by the type's text
 * form first), otherwise a value as it is (schedule params, a JSON list's items). Returns the
 * typed value, or why not; the items of a list are checked by the item type.
 */
export function readParam(given: unknown, type: ParamType, items?: ParamType, asText = typeof given === 'string'): { value: unknown } | { problem: string } {
  const value = asText ? PARAM_TYPE_RULES[type].read(String(given)) : given;
  const problem = paramProblem(value, type, asText ? `'${String(given)}'` : describeJson(given));
  if (problem) return { problem };
  if (type !== 'array' || !items) return { value };
  // A comma list's items are text; a JSON list's are values.
  const itemsAreText = asText && !String(given).trim().startsWith('[');
  const out: unknown[] = [];
  for (const [i, item] of (value as unknown[]).entries()) {
    const r = readParam(item, items, undefined, itemsAreText);
    if ('problem' in r) return { problem: `item ${i} ${r.problem}` };
    out.push(r.value);
  }
  return { value: out };
}
