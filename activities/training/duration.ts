// Purge/embargo lengths come as bars (a number) or a duration string ("30m", "2h", "1d"), parsed
// by the DSL's own duration grammar.
import { parseDuration } from '../../dsl/duration';
import { InvalidInputError } from '../errors';

export function durationMs(value: number | string | undefined, barMs: number, what: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') {
    if (!(value >= 0)) throw new InvalidInputError(`${what} must be ≥ 0 bars, got ${value}`);
    return value * barMs;
  }
  const d = parseDuration(value);
  if ('error' in d) throw new InvalidInputError(`${what}: '${value}' is neither a bar count nor a duration like 30m, 2h, 1d (${d.error})`);
  return d.ms;
}
