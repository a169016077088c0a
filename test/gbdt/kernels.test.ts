import { describe, expect, it } from 'vitest';
import { layoutOf, type BinLayout } from '../../models/gbdt/binning';
import { buildHistogram, gradientPass, subtractHistogram } from '../../models/gbdt/histogram';
import { addLeafOutput } from '../../models/gbdt/partition';
import { addTreeOutputs, type Tree } from '../../models/gbdt/tree';
import { treeOutput } from './tree-walk';

// The unrolled kernels against the plain loops they replace, over sizes that exercise both the
// unrolled step and every tail length.

/** The layout of features with these numbers of value bins (cuts' values do not matter here). */
const layoutFor = (nBins: number[]): BinLayout => layoutOf(nBins.map((b) => new Float32Array(b - 1)));

describe('buildHistogram', () => {
  it('sums each row’s g and h into its slot of every feature, for 1 to 9 features, all or some of them', () => {
    const nRows = 50;
    for (let nFeatures = 1; nFeatures <= 9; nFeatures++) {
      const layout = layoutFor(Array.from({ length: nFeatures }, (_, f) => 3 + f));
      const rowSlots = new Uint16Array(nRows * nFeatures);
      for (let r = 0; r < nRows; r++) for (let f = 0; f < nFeatures; f++) rowSlots[r * nFeatures + f] = layout.offsets[f] + ((r * 7 + f * 3) % (layout.nBins[f] + 1));
      const grad = Float64Array.from({ length: nRows }, (_, r) => Math.sin(r + 1));
      const hess = Float64Array.from({ length: nRows }, (_, r) => 0.5 + (r % 3));
      const rows = Uint32Array.from({ length: nRows }, (_, i) => (i * 13) % nRows);
      const all = Int32Array.from({ length: nFeatures }, (_, f) => f);
      const some = all.filter((f) => f % 2 === 0);
      for (const features of [all, some]) {
        const hist = new Float64Array(layout.totalSlots * 2);
        buildHistogram(hist, nFeatures, rowSlots, rows, 4, 41, grad, hess, features);
        const want = new Float64Array(layout.totalSlots * 2);
        for (let i = 4; i < 41; i++) {
          const r = rows[i];
          for (const f of features) {
            const s = rowSlots[r * nFeatures + f];
            want[2 * s] += grad[r];
            want[2 * s + 1] += hess[r];
          }
        }
        expect(Array.from(hist), `${nFeatures} features, ${features.length} active`).toEqual(Array.from(want));
      }
    }
  });
});

describe('subtractHistogram', () => {
  it('subtracts the child from the parent over the active features’ slots only, for odd and even slot counts', () => {
    const layout = layoutFor([1, 2, 3, 4, 6]);
    const size = layout.totalSlots * 2;
    const parent = Float64Array.from({ length: size }, (_, i) => 100 + i);
    const child = Float64Array.from({ length: size }, (_, i) => i * 0.5);
    const features = Int32Array.from([0, 1, 2, 4]);
    const want = parent.slice();
    for (const f of features) for (let i = 2 * layout.offsets[f]; i < 2 * (layout.offsets[f] + layout.nBins[f] + 1); i++) want[i] -= child[i];
    subtractHistogram(parent, child, layout, features);
    expect(Array.from(parent)).toEqual(Array.from(want));
  });
});

describe('addLeafOutput', () => {
  it('adds the value to the prediction of each row of the range, and no other, for every range length 0..11', () => {
    for (let len = 0; len <= 11; len++) {
      const rows = Uint32Array.from({ length: 20 }, (_, i) => (i * 7) % 20);
      const pred = Float64Array.from({ length: 20 }, (_, i) => i);
      addLeafOutput(pred, rows, 2, 2 + len, 0.25);
      const touched = new Set(Array.from(rows.subarray(2, 2 + len)));
      for (let r = 0; r < 20; r++) expect(pred[r], `len ${len} row ${r}`).toBe(touched.has(r) ? r + 0.25 : r);
    }
  });
});

describe('gradientPass', () => {
  it('writes pred − y and sums its squares and values in row order, for every range length 0..11', () => {
    const n = 20;
    const pred = Float64Array.from({ length: n }, (_, i) => Math.cos(i) * 3);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7));
    for (let len = 0; len <= 11; len++) {
      const grad = new Float64Array(n).fill(-7);
      const out = new Float64Array(2);
      gradientPass(pred, y, grad, 3, 3 + len, out);
      let sse = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const inRange = i >= 3 && i < 3 + len;
        expect(grad[i], `len ${len} row ${i}`).toBe(inRange ? pred[i] - y[i] : -7);
        if (inRange) {
          sse += (pred[i] - y[i]) ** 2;
          sum += pred[i] - y[i];
        }
      }
      // Bit for bit: the same additions in the same order.
      expect(out[0]).toBe(sse);
      expect(out[1]).toBe(sum);
    }
  });
});

describe('addTreeOutputs (predict)', () => {
  it('adds each row’s leaf, as treeOutput finds it, in float32 (or float64), with NaN taking each node’s default side', () => {
    // Node 0 splits on feature 1 (default left), 1 on feature 0 (default right), 2 on feature 2 (default left); 3..6 leaves.
    const tree: Tree = {
      left: Int32Array.from([1, 3, 5, -1, -1, -1, -1]),
      right: Int32Array.from([2, 4, 6, -1, -1, -1, -1]),
      parent: Int32Array.from([-1, 0, 0, 1, 1, 2, 2]),
      feature: Int32Array.from([1, 0, 2, 0, 0, 0, 0]),
      threshold: Float32Array.from([0.5, -1, 2, 0, 0, 0, 0]),
      defaultLeft: Uint8Array.from([1, 0, 1, 0, 0, 0, 0]),
      value: Float32Array.from([0, 0, 0, 0.1, -0.2, 0.3, 0.7]),
      lossChange: new Float64Array(7),
      sumHessian: new Float64Array(7),
    };
    const nFeatures = 3;
    const values = [NaN, -2, -1, Math.fround(-1) - 1e-7, 0, 0.5, 0.25, 2, 3, -Infinity, Infinity];
    const n = values.length ** 3;
    const X32 = new Float32Array(n * nFeatures);
    for (let i = 0; i < n; i++) {
      X32[i * nFeatures] = values[i % values.length];
      X32[i * nFeatures + 1] = values[Math.floor(i / values.length) % values.length];
      X32[i * nFeatures + 2] = values[Math.floor(i / values.length ** 2)];
    }
    const out = Float64Array.from({ length: n }, (_, i) => Math.fround(i / 7));
    const want = Float64Array.from(out, (v, i) => Math.fround(v + treeOutput(tree, X32, i, nFeatures)));
    addTreeOutputs(tree, X32, n, nFeatures, out);
    expect(Array.from(out)).toEqual(Array.from(want));
    expect(new Set(Array.from({ length: n }, (_, i) => treeOutput(tree, X32, i, nFeatures))).size).toBe(4);
    // Validation predictions during a fit add in float64.
    const out64 = Float64Array.from({ length: n }, (_, i) => i / 7);
    const want64 = Float64Array.from(out64, (v, i) => v + treeOutput(tree, X32, i, nFeatures));
    addTreeOutputs(tree, X32, n, nFeatures, out64, false);
    expect(Array.from(out64)).toEqual(Array.from(want64));
  });
});
