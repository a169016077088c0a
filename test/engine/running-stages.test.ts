// The PipelineStage value (pure): under Temporal's 2,048-byte limit for a Keyword, whatever runs.
import { describe, expect, it } from 'vitest';
import { KEYWORD_LIMIT_BYTES, runningStagesValue } from '../../workflows/running-stages';

const valueOf = (ids: string[], paused: boolean) => runningStagesValue(ids, ids.length, paused);

const bytes = (s: string) => new TextEncoder().encode(s).length;
/** What Temporal measures against its limit: the value's JSON payload. */
const payloadBytes = (s: string) => bytes(JSON.stringify(s));

describe('runningStagesValue', () => {
  it('joins the running stages, with (paused) first while paused; nothing running is null', () => {
    expect(valueOf(['a', 'b'], false)).toBe('a,b');
    expect(valueOf(['a'], true)).toBe('(paused),a');
    expect(valueOf([], false)).toBeNull();
    expect(valueOf([], true)).toBe('(paused)');
  });

  it('keeps a value whose JSON is exactly 2,048 bytes whole, and not one byte more', () => {
    const ids = ['x'.repeat(1000), 'y'.repeat(1045)];
    expect(valueOf(ids, false)).toBe(ids.join(','));
    expect(payloadBytes(ids.join(','))).toBe(2048);
    expect(valueOf(['x'.repeat(1000), 'y'.repeat(1046)], false)).toBe(`${'x'.repeat(1000)},… 1 more`);
  });

  it('past 2,048 bytes lists the names that fit and counts the rest, for any mix of lengths', () => {
    const cases = [[300, 12, 'é'], [3, 1500, 'é'], [1, 5000, 'é'], [2000, 1, 'é'], [50, 90, 'é'], [60, 40, '😀'], [40, 50, '€'], [529, 1, '_'], [1000, 1, '_'], [80, 30, '"'], [80, 30, '\\'], [80, 30, '\n'], [80, 30, '\u0001'], [80, 30, '\ud800']] as const;
    for (const [n, len, pad] of cases) {
      const ids = Array.from({ length: n }, (_, i) => `s${i}`.padEnd(len, pad));
      const value = valueOf(ids, false)!;
      if (payloadBytes(ids.join(',')) <= KEYWORD_LIMIT_BYTES) continue;
      expect(payloadBytes(value)).toBeLessThanOrEqual(KEYWORD_LIMIT_BYTES);
      const m = /^(.*?),?… (\d+) more$/s.exec(value)!;
      const listed = m[1] ? m[1].split(',') : [];
      expect(listed).toEqual(ids.slice(0, listed.length));
      expect(listed.length + Number(m[2])).toBe(n);
      // Greedy (with room kept for the longest count): one more name would not have fitted.
      expect(payloadBytes(`${[...listed, ids[listed.length]].join(',')},… ${n} more`)).toBeGreaterThan(KEYWORD_LIMIT_BYTES);
    }
  });

  it('reads only the names that fit (and one more) from the running set, however large', () => {
    let read = 0;
    function* running(): Iterable<string> {
      for (let i = 0; i < 100_000; i++) {
        read++;
        yield `stage_${i}`;
      }
    }
    const value = runningStagesValue(running(), 100_000, true)!;
    const listed = value.split(',').length - 1; // '(paused)' first, then the names, then '… N more'
    expect(value.startsWith('(paused),stage_0,stage_1,')).toBe(true);
    expect(value.endsWith(`… ${100_001 - listed} more`)).toBe(true);
    expect(payloadBytes(value)).toBeLessThanOrEqual(KEYWORD_LIMIT_BYTES);
    // Each name is at least 8 bytes with its comma: no more than 256 fit, and one more is read.
    expect(read).toBeLessThanOrEqual(KEYWORD_LIMIT_BYTES / 8 + 1);
  });
});
