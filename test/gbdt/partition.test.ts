import { describe, expect, it } from 'vitest';
import { partitionRange } from '../../models/gbdt/partition';

/** The rule spelled out: codes ≤ bin go left, the missing code goes by the default direction. */
function goesLeft(code: number, bin: number, defaultLeft: boolean, missing: number): boolean {
  return code === missing ? defaultLeft : code <= bin;
}

describe('partitionRange', () => {
  it('moves the left-going rows first and the right-going ones after, both in order, for every length around the unrolled step', () => {
    const nRows = 64;
    const nFeatures = 2;
    const missing = 7;
    const bins = new Uint8Array(nRows * nFeatures);
    // Codes 0..7 (7 = missing) in an irregular pattern, different per feature.
    for (let f = 0; f < nFeatures; f++) for (let r = 0; r < nRows; r++) bins[f * nRows + r] = (r * (3 + 2 * f) + (r >> 2)) % 8;
    for (const defaultLeft of [false, true]) {
      for (let bin = -1; bin <= 6; bin++) {
        // Ranges of every length 0..23 starting at 3 (8 per unrolled step plus the tail), of a shuffled row buffer.
        for (let len = 0; len <= 23; len++) {
          const rows = Uint32Array.from({ length: nRows }, (_, i) => (i * 37) % nRows);
          const before = rows.slice();
          const right = new Uint32Array(nRows).fill(0xdead);
          const from = 3;
          const to = from + len;
          const feature = len % nFeatures;
          const l = partitionRange(rows, right, bins, nRows, from, to, feature, bin, defaultLeft, missing, true);
          const slice = Array.from(before.subarray(from, to));
          const wantLeft = slice.filter((r) => goesLeft(bins[feature * nRows + r], bin, defaultLeft, missing));
          const wantRight = slice.filter((r) => !goesLeft(bins[feature * nRows + r], bin, defaultLeft, missing));
          expect(l, `len ${len} bin ${bin} defaultLeft ${defaultLeft}`).toBe(wantLeft.length);
          expect(Array.from(rows.subarray(from, to))).toEqual([...wantLeft, ...wantRight]);
          // Rows outside the range are untouched.
          expect(Array.from(rows.subarray(0, from))).toEqual(Array.from(before.subarray(0, from)));
          expect(Array.from(rows.subarray(to))).toEqual(Array.from(before.subarray(to)));
        }
      }
    }
  });

  it('without join leaves the right-going rows in the scratch at the range positions', () => {
    const nRows = 40;
    const bins = Uint8Array.from({ length: nRows }, (_, r) => (r * 11) % 5);
    const rows = Uint32Array.from({ length: nRows }, (_, i) => nRows - 1 - i);
    const right = new Uint32Array(nRows);
    const l = partitionRange(rows, right, bins, nRows, 2, 37, 0, 1, false, 4, false);
    const slice = Array.from({ length: 35 }, (_, k) => nRows - 1 - (2 + k));
    const wantLeft = slice.filter((r) => bins[r] <= 1);
    const wantRight = slice.filter((r) => bins[r] > 1);
    expect(l).toBe(wantLeft.length);
    expect(Array.from(rows.subarray(2, 2 + l))).toEqual(wantLeft);
    expect(Array.from(right.subarray(2, 2 + wantRight.length))).toEqual(wantRight);
  });
});
