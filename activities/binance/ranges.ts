// Arithmetic on inclusive ranges of kline open times, [first, last], on an interval's grid.
export type Range = [number, number];

export const alignUp = (t: number, intervalMs: number) => Math.ceil(t / intervalMs) * intervalMs;
export const alignDown = (t: number, intervalMs: number) => Math.floor(t / intervalMs) * intervalMs;

/** Number of bars in [from, to]. */
export const barsIn = (r: Range, intervalMs: number) => (r[1] < r[0] ? 0 : (r[1] - r[0]) / intervalMs + 1);

/** Sorts and joins overlapping or adjacent ranges. */
export function mergeRanges(ranges: Range[], intervalMs: number): Range[] {
  const sorted = ranges.filter((r) => r[1] >= r[0]).sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + intervalMs) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Parts of `within` not covered by `covered` (merged, sorted). */
export function subtractRanges(within: Range, covered: Range[], intervalMs: number): Range[] {
  const out: Range[] = [];
  let cursor = within[0];
  for (const [a, b] of covered) {
    if (b < cursor) continue;
    if (a > within[1]) break;
    if (a > cursor) out.push([cursor, Math.min(a - intervalMs, within[1])]);
    cursor = Math.max(cursor, b + intervalMs);
    if (cursor > within[1]) break;
  }
  if (cursor <= within[1]) out.push([cursor, within[1]]);
  return out;
}

export function clipRanges(ranges: Range[], within: Range): Range[] {
  return ranges
    .map((r): Range => [Math.max(r[0], within[0]), Math.min(r[1], within[1])])
    .filter((r) => r[1] >= r[0]);
}

/** Contiguous runs in sorted open times. */
export function runsOf(sortedTimes: ArrayLike<number>, intervalMs: number): Range[] {
  const out: Range[] = [];
  for (let i = 0; i < sortedTimes.length; i++) {
    const t = sortedTimes[i];
    const last = out[out.length - 1];
    if (last && t === last[1] + intervalMs) last[1] = t;
    else if (!last || t > last[1]) out.push([t, t]);
  }
  return out;
}

/** Splits ranges into pieces of at most maxBars bars. */
export function splitRanges(ranges: Range[], intervalMs: number, maxBars: number): Range[] {
  const out: Range[] = [];
  const span = maxBars * intervalMs;
  for (const [a, b] of ranges) {
    for (let s = a; s <= b; s += span) out.push([s, Math.min(b, s + span - intervalMs)]);
  }
  return out;
}
