// The PipelineStage search attribute: the stages running now, comma-separated. Temporal refuses a
// Keyword value over 2,048 bytes, and refusing the upsert fails the whole run, so a run with many
// stages in flight lists as many as fit and counts the rest.

/** Temporal's default limit for one search attribute value (limit.searchAttributes.sizeOfValue). */
export const KEYWORD_LIMIT_BYTES = 2048;

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

export function runningStagesValue(ids: readonly string[], paused: boolean): string | null {
  const all = paused ? ['(paused)', ...ids] : [...ids];
  const joined = all.join(',');
  if (!joined) return null;
  if (utf8Bytes(joined) <= KEYWORD_LIMIT_BYTES) return joined;
  // Room for the longest possible suffix, then as many names as fit before it.
  const room = KEYWORD_LIMIT_BYTES - utf8Bytes(`,… ${all.length} more`);
  let used = 0;
  let kept = 0;
  for (const id of all) {
    const cost = utf8Bytes(id) + (kept ? 1 : 0);
    if (used + cost > room) break;
    used += cost;
    kept++;
  }
  return `${all.slice(0, kept).join(',')}${kept ? ',' : ''}… ${all.length - kept} more`;
}
