// Durations as written in pipelines: `500ms`, `30s`, `2m`, `1h30m`, `3d`, `1w`. Pure.

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const UNIT_ORDER = ['w', 'd', 'h', 'm', 's', 'ms'];

export type DurationResult = { ms: number } | { error: string };

/** Parses a duration; `allowNegative` admits a leading '-' (used by dateAdd). */
export function parseDuration(text: string, allowNegative = false): DurationResult {
  let src = text.trim();
  let sign = 1;
  if (allowNegative && src.startsWith('-')) {
    sign = -1;
    src = src.slice(1);
  }
  if (src === '') return { error: 'empty duration' };
  if (/^\d+(\.\d+)?$/.test(src)) return { error: `duration '${text}' needs a unit (e.g. '${src}s'; units: ms, s, m, h, d, w)` };
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;
  let total = 0;
  let lastUnit = -1;
  let pos = 0;
  while (pos < src.length) {
    part.lastIndex = pos;
    const match = part.exec(src);
    if (!match) return { error: `invalid duration '${text}' (expected e.g. 500ms, 30s, 2m, 1h30m, 3d)` };
    const unit = UNIT_ORDER.indexOf(match[2]);
    if (unit <= lastUnit) return { error: `invalid duration '${text}': units must go from largest to smallest, each at most once` };
    lastUnit = unit;
    total += Number(match[1]) * UNIT_MS[match[2]];
    pos = part.lastIndex;
  }
  return { ms: sign * Math.round(total) };
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
