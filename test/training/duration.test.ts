import { describe, expect, it } from 'vitest';
import { durationMs } from '../../activities/training/duration';

describe('purge/embargo lengths', () => {
  it('takes bars or a duration', () => {
    expect(durationMs(undefined, 60_000, 'purge')).toBe(0);
    expect(durationMs(15, 60_000, 'purge')).toBe(900_000);
    expect(durationMs('2h', 60_000, 'purge')).toBe(7_200_000);
    expect(durationMs('1h30m', 60_000, 'embargo')).toBe(5_400_000);
  });
  it('refuses anything else with a clear error', () => {
    expect(() => durationMs('soon', 60_000, 'cv.purge')).toThrow(/cv.purge: 'soon' is neither a bar count nor a duration/);
    expect(() => durationMs(-1, 60_000, 'cv.purge')).toThrow(/≥ 0 bars/);
  });
});
