// The as-of join of funding rates onto dataset rows (pure): a row sees settlements at or before
// its time only; stale or short histories drop the row with a reason.
import { describe, expect, it } from 'vitest';
import { joinFunding, SHORT, STALE } from '../../activities/funding/join';

const H = 3_600_000;
const recs = new Map([['BTCUSDT', [0, 8, 16, 24].map((h, i) => ({ time: h * H, rate: (i + 1) / 10_000, markPrice: 1 }))]]);

describe('joinFunding', () => {
  it('uses the last settlement at or before each row, never a later one', () => {
    const times = [16 * H - 1, 16 * H, 23 * H, 24 * H, 40 * H];
    const j = joinFunding(times.map(() => 'BTCUSDT'), times, recs, 3, 24 * H);
    expect(j.names).toEqual(['funding_rate', 'funding_rate_mean_3']);
    expect(Array.from(j.keep)).toEqual([0, 1, 1, 1, 1]);
    const row = (r: number) => [j.values[r * 2], j.values[r * 2 + 1]];
    expect(row(1)).toEqual([0.0003, (0.0001 + 0.0002 + 0.0003) / 3]);
    expect(row(2)).toEqual(row(1));
    expect(row(3)[0]).toBe(0.0004);
    expect(row(4)[0]).toBe(0.0004); // 16 h old: within 24 h
    expect(j.dropped).toEqual({ [SHORT]: 1 });
  });

  it('drops rows whose last settlement is too old, or of a symbol without any', () => {
    const j = joinFunding(['BTCUSDT', 'ETHUSDT'], [49 * H, 20 * H], recs, 1, 24 * H);
    expect(Array.from(j.keep)).toEqual([0, 0]);
    expect(j.dropped).toEqual({ [STALE]: 2 });
    expect(Number.isNaN(j.values[0])).toBe(true);
  });
});
