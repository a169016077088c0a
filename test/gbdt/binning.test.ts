import { describe, expect, it } from 'vitest';
import { binTrainingData } from '../../models/gbdt/binning';
import { Random } from '../../models/gbdt/random';

describe('binTrainingData', () => {
  it('gives each value the number of cuts ≤ fround(value), NaN the missing code, on awkward columns', () => {
    const rng = new Random(5);
    const n = 20000;
    const f = 4;
    const X = new Float64Array(n * f);
    for (let i = 0; i < n; i++) {
      const r = rng.next();
      X[i * f] = r < 0.1 ? -0 : r < 0.2 ? 0 : r < 0.3 ? NaN : r < 0.35 ? Infinity : r < 0.4 ? -Infinity : (rng.next() - 0.5) * 1e-3;
      X[i * f + 1] = Math.floor(rng.next() * 7) - 3; // few distinct values: one bin each
      X[i * f + 2] = (rng.next() - 0.5) * 1e-40; // float32 subnormals
      X[i * f + 3] = r < 0.5 ? NaN : -rng.next() * 1e30;
    }
    for (const maxBin of [256, 16, 2]) {
      const { layout, bins } = binTrainingData(X, n, f, maxBin);
      for (let k = 0; k < f; k++) {
        const cuts = layout.cuts[k];
        expect(cuts.length).toBeLessThan(Math.min(maxBin, 255));
        for (let c = 1; c < cuts.length; c++) expect(cuts[c]).toBeGreaterThan(cuts[c - 1]);
        for (let i = 0; i < n; i++) {
          const v = Math.fround(X[i * f + k]);
          const expected = v !== v ? layout.nBins[k] : cuts.filter((c) => c <= v).length;
          if (bins[k * n + i] !== expected) expect({ feature: k, row: i, value: v, code: bins[k * n + i] }).toEqual({ feature: k, row: i, value: v, code: expected });
        }
      }
      expect(layout.cuts[1].length).toBe(Math.min(6, maxBin - 1));
    }
  });
});
