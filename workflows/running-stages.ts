// The PipelineStage search attribute: the stages running now, comma-separated. Temporal refuses a
// Keyword value over 2,048 bytes, and refusing the upsert fails the whole run, so a run with many
// stages in flight lists as many as fit and counts the rest.

/** Temporal's default limit for one search attribute value (limit.searchAttributes.sizeOfValue). */
export const KEYWORD_LIMIT_BYTES = 2048;
/** Temporal measures the value's payload, its JSON: the string's bytes and its two quotes. */
const QUOTES = 2;

/**
 * Bytes of `s` inside its JSON string, without encoding it: UTF-8, with quotes, backslashes and
 * control characters escaped and a lone surrogate written as six bytes (as JSON.stringify does).
 */
function jsonBytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) n += 2;
    else if (c < 0x20) n += 6;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) n += 6;
    else n += 3;
  }
  return n;
}

/** How many of `names` (first ones first), comma-joined, fit in `room` bytes (reads only those and one more). */
function firstNamesThatFit(names: Iterable<string>, room: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const name of names) {
    used += jsonBytes(name) + (kept.length ? 1 : 0);
    if (used > room) break;
    kept.push(name);
  }
  return kept;
}

/** `ids` are the `count` stages running now; only the names that fit are read. */
export function runningStagesValue(ids: Iterable<string>, count: number, paused: boolean): string | null {
  const total = count + (paused ? 1 : 0);
  if (total === 0) return null;
  const all = (): Iterable<string> => (paused ? withPaused(ids) : ids);
  const room = KEYWORD_LIMIT_BYTES - QUOTES;
  const fitting = firstNamesThatFit(all(), room);
  if (fitting.length === total) return fitting.join(',');
  // Room for the longest possible suffix, then as many names as fit before it.
  const kept = firstNamesThatFit(fitting, room - jsonBytes(`,… ${total} more`));
  return `${kept.join(',')}${kept.length ? ',' : ''}… ${total - kept.length} more`;
}

function* withPaused(ids: Iterable<string>): Iterable<string> {
  yield '(paused)';
  yield* ids;
}
