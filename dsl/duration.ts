// Durations as written in pipelines: `500ms`, `30s`, `2m`, `1h30m`, `3d`, `1w`. Pure.

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const UNIT_ORDER = ['w', 'd', 'h', 'm', 's', 'ms'];

/**
 * The one duration rule, as a regular expression: each unit at most once, largest first, a
 * number (decimals allowed) before each. parseDuration accepts exactly what it matches, and the
 * JSON Schema for editors uses it as the pattern of every duration.
 */
export const DURATION_PATTERN = `^(?=\\d)${UNIT_ORDER.map((u) => `(\\d+(?:\\.\\d+)?${u}${u === 'm' ? '(?!s)' : ''})?`).join('')}$`;
const DURATION = new RegExp(DURATION_PATTERN);

export type DurationResult = { ms: number } | { error: string };

/** Parses a duration; `allowNegative` admits a leading '-' (used by dateAdd). */
export function parseDuration(text: string, allowNegative = false): DurationResult {
  const negative = allowNegative && text.startsWith('-');
  const src = negative ? text.slice(1) : text;
  const match = DURATION.exec(src);
  if (!match) return { error: whyNot(text, src) };
  let total = 0;
  match.slice(1).forEach((part, i) => {
    if (part) total += Number(part.slice(0, part.length - UNIT_ORDER[i].length)) * UNIT_MS[UNIT_ORDER[i]];
  });
  return { ms: (negative ? -1 : 1) * Math.round(total) };
}

/** Why `src` does not match DURATION_PATTERN, for the message. */
function whyNot(text: string, src: string): string {
  if (src === '') return 'empty duration';
  if (/^\d+(\.\d+)?$/.test(src)) return `duration '${text}' needs a unit (e.g. '${src}s'; units: ms, s, m, h, d, w)`;
  if (/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(src)) return `invalid duration '${text}': units must go from largest to smallest, each at most once`;
  return `invalid duration '${text}' (expected e.g. 500ms, 30s, 2m, 1h30m, 3d)`;
}

/** The inverse, for messages: 90000 → '1m30s'. */
export function formatMs(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out || '0s';
}
