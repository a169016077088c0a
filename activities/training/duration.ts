// Purge/embargo lengths come as bars (a number) or a duration string ("30m", "2h", "1d").
import { InvalidInputError } from '../errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function durationMs(value: number | string | undefined, barMs: number, what: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') {
    if (!(value >= 0)) throw new InvalidInputError(`${what} must be ≥ 0 bars, got ${value}`);
    return value * barMs;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(value);
  if (!m) throw new InvalidInputError(`${what}: '${value}' is neither a bar count nor a duration like 30m, 2h, 1d`);
  return Number(m[1]) * UNIT_MS[m[2]];
}
