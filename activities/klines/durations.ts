// Durations in stage inputs: milliseconds (a number) or the DSL's duration text ("2s", "4m30s").
import { parseDuration } from '../../dsl/duration';
import { InvalidInputError } from '../errors';

export function durationInput(value: unknown, name: string, fallback?: number): number {
  if (value === undefined || value === null) {
    if (fallback === undefined) throw new InvalidInputError(`${name} is required`);
    return fallback;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const d = parseDuration(value);
    if ('ms' in d && d.ms >= 0) return d.ms;
    throw new InvalidInputError(`${name}: ${'error' in d ? d.error : `'${value}' is negative`}`);
  }
  throw new InvalidInputError(`${name} must be milliseconds or a duration like 2s, 4m, got ${JSON.stringify(value)}`);
}
