// Reads one command's argv against the flags it declares: positionals, boolean `--flag`,
// `--key value` / `--key=value`, repeatable flags, and `--param k=v`. Anything else is refused
// with a message that names the flag and the command, so a typo never runs with defaults.
import { closest } from '../dsl/suggest';

export interface FlagSpec {
  /** Without the dashes: 'from', 'no-follow'. */
  name: string;
  /** boolean: no value; string: one value; list: repeatable, values collected in order. */
  type: 'boolean' | 'string' | 'list';
  /** Placeholder shown in help: `--from D`. */
  value?: string;
  help: string;
  /** One-letter alias: `-p`. */
  short?: string;
}

export interface Args {
  positionals: string[];
  /** Flag name → value; list flags hold string[]. Null-prototype: names come from the user. */
  flags: Record<string, string | true | string[]>;
  /** `--param k=v` values. Null-prototype: keys name pipeline params from YAML. */
  params: Record<string, string>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The flags every command takes. */
export const COMMON_FLAGS: FlagSpec[] = [
  { name: 'json', type: 'boolean', help: 'print the result as JSON (for scripts)' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

export const PARAM_FLAG: FlagSpec = { name: 'param', type: 'list', short: 'p', value: 'k=v', help: 'a pipeline param (repeatable); lists as a,b,c or JSON [..]' };

export function parseArgs(argv: string[], specs: FlagSpec[], command: string): Args {
  const all = [...specs, ...COMMON_FLAGS];
  const byName = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short!, s]));
  const out: Args = { positionals: [], flags: Object.create(null), params: Object.create(null) };
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (onlyPositionals || a === '-' || !a.startsWith('-')) {
      out.positionals.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositionals = true;
      continue;
    }
    const long = a.startsWith('--');
    const eq = a.indexOf('=');
    const key = long ? (eq > 0 ? a.slice(2, eq) : a.slice(2)) : a.slice(1);
    const spec = long ? byName.get(key) : byShort.get(key);
    if (!spec) {
      const guess = long ? closest(key, byName.keys()) : undefined;
      throw new UsageError(
        `unknown flag ${long ? '--' : '-'}${key} for 'client ${command}'${guess ? `. Did you mean --${guess}?` : ''} (see 'client ${command} --help')`,
      );
    }
    let value: string | true;
    if (spec.type === 'boolean') {
      if (long && eq > 0) throw new UsageError(`--${spec.name} takes no value (got '${a}')`);
      value = true;
    } else if (long && eq > 0) {
      value = a.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${spec.name} needs a value${spec.value ? ` (--${spec.name} ${spec.value})` : ''}`);
      }
      value = next;
      i++;
    }
    if (spec.name === 'param') {
      const v = value as string;
      const at = v.indexOf('=');
      if (at <= 0) throw new UsageError(`--param needs key=value, got '${v}'`);
      out.params[v.slice(0, at)] = v.slice(at + 1);
    } else if (spec.type === 'list') {
      const prev = out.flags[spec.name];
      out.flags[spec.name] = [...(Array.isArray(prev) ? prev : []), value as string];
    } else {
      out.flags[spec.name] = value;
    }
  }
  return out;
}

export function flagString(args: Args, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function flagSet(args: Args, name: string): boolean {
  return args.flags[name] === true;
}

/** A positive integer flag, or `fallback`; anything else is a usage error. */
export function flagInt(args: Args, name: string, fallback: number): number {
  const v = flagString(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got '${v}'`);
  return n;
}
