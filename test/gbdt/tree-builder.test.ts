import { describe, expect, it } from 'vitest';
import { binTrainingData, toRowSlots } from '../../models/gbdt/binning';
import { addPairOutputs, addTreeOutputsByBins } from '../../models/gbdt/partition';
import { resolveParams } from '../../models/gbdt/params';
import { treeOutput } from './tree-walk';
import { LocalKernels, TreeBuilder } from '../../models/gbdt/tree-builder';
import { synthetic } from './synthetic';

function setup() {
  const d = synthetic(3000, 4, (x) => Math.sin(4 * x[0]) + x[1] * x[2], 61, 0.2);
  for (let i = 0; i < d.n; i += 9) d.X[i * d.f + 3] = NaN;
  const p = resolveParams({ max_depth: 4, eta: 0.3 });
  const { layout, bins } = binTrainingData(d.X, d.n, d.f, p.max_bin);
  const slots = toRowSlots(bins, d.n, layout);
  const kernels = new LocalKernels(d.f, slots, layout.totalSlots, bins, d.n);
  const features = Int32Array.from([0, 1, 2, 3]);
  const hess = new Float64Array(d.n).fill(1);
  const pred = new Float64Array(d.n);
  const grad = new Float64Array(d.n);
  const rows = Uint32Array.from({ length: d.n }, (_, i) => i);
  return { d, p, layout, bins, slots, kernels, features, hess, pred, grad, rows };
}

describe('TreeBuilder', () => {
  it('grows the same second tree from the previous leaves as from a fresh pass over the rows', () => {
    const { d, p, layout, bins, slots, kernels, features, hess, pred, grad, rows } = setup();
    kernels.gradients(pred, d.y, grad);
    const reusing = new TreeBuilder(layout, bins, slots, d.n, p, kernels);
    const first = reusing.grow(rows, d.n, grad, hess, features, true);
    // Leaves that keep histograms are all partitioned.
    expect(first.pairs).toEqual([]);
    kernels.addOutputs(pred, rows, first.leaves, first.pairs);
    kernels.gradients(pred, d.y, grad);
    rows.forEach((_, i) => (rows[i] = i));
    const reused = reusing.grow(rows, d.n, grad, hess, features, true).tree;
    rows.forEach((_, i) => (rows[i] = i));
    const fresh = new TreeBuilder(layout, bins, slots, d.n, p).grow(rows, d.n, grad, hess, features, false).tree;

    expect(Array.from(reused.feature)).toEqual(Array.from(fresh.feature));
    expect(Array.from(reused.threshold)).toEqual(Array.from(fresh.threshold));
    expect(Array.from(reused.defaultLeft)).toEqual(Array.from(fresh.defaultLeft));
    reused.value.forEach((v, i) => expect(v).toBeCloseTo(fresh.value[i], 6));
    reused.lossChange.forEach((v, i) => expect(v).toBeCloseTo(fresh.lossChange[i], 6));
  });

  it('adds each row its own leaf output, also under splits left unpartitioned (leaf pairs)', () => {
    const { d, p, layout, bins, slots, kernels, features, hess, pred, grad, rows } = setup();
    kernels.gradients(pred, d.y, grad);
    const { tree, leaves, pairs } = new TreeBuilder(layout, bins, slots, d.n, p, kernels).grow(rows, d.n, grad, hess, features);
    expect(pairs.length).toBeGreaterThan(0);
    kernels.addOutputs(pred, rows, leaves, pairs);
    const X32 = Float32Array.from(d.X);
    for (let i = 0; i < d.n; i++) expect(pred[i]).toBe(treeOutput(tree, X32, i, d.f));
  });
});

describe('addTreeOutputsByBins', () => {
  it('adds each row the output of the leaf treeOutput finds from its float32 value, missing values included, for both growth policies', () => {
    for (const policy of [{ max_depth: 4 }, { grow_policy: 'lossguide' as const, max_leaves: 11, max_depth: 0 }]) {
      const { d, layout, bins, slots, kernels, features, hess, pred, grad, rows } = setup();
      // Low values of feature 3 and its missing values (every 9th row) both raise the label, so
      // a split on feature 3 sends missing values left by default.
      for (let i = 0; i < d.n; i++) {
        const x3 = d.X[i * d.f + 3];
        if (Number.isNaN(x3) || x3 < 0.5) d.y[i] += 3;
      }
      const p = resolveParams({ ...policy, eta: 0.3 });
      kernels.gradients(pred, d.y, grad);
      const { tree, splitBins } = new TreeBuilder(layout, bins, slots, d.n, p, kernels).grow(rows, d.n, grad, hess, features);
      expect(tree.left.filter((l) => l !== -1).length).toBeGreaterThan(4);
      expect(Array.from(tree.feature).some((f, node) => f === 3 && tree.left[node] !== -1 && tree.defaultLeft[node] === 1)).toBe(true);
      // Every third row, in a shuffled order.
      const some = Int32Array.from({ length: Math.ceil(d.n / 3) }, (_, k) => (k * 3 * 7919) % d.n);
      const out = new Float64Array(d.n).fill(0.5);
      addTreeOutputsByBins(out, some, some.length, bins, d.n, tree, splitBins, layout.nBins);
      const X32 = Float32Array.from(d.X);
      const picked = new Set(Array.from(some));
      let missing = 0;
      for (let i = 0; i < d.n; i++) {
        if (picked.has(i) && Number.isNaN(d.X[i * d.f + 3])) missing++;
        expect(out[i], `${p.grow_policy} row ${i}`).toBe(picked.has(i) ? 0.5 + treeOutput(tree, X32, i, d.f) : 0.5);
      }
      expect(missing).toBeGreaterThan(0);
    }
  });
});

describe('addPairOutputs', () => {
  it('sends codes ≤ bin left, the missing code by the default direction, for every code', () => {
    const nBins = 255; // codes 0..254, missing = 255
    const bins = Uint8Array.from({ length: 256 }, (_, i) => i);
    const rows = Uint32Array.from({ length: 256 }, (_, i) => 255 - i);
    for (const bin of [0, 1, 100, 253]) {
      for (const defaultLeft of [false, true]) {
        const pred = new Float64Array(256);
        addPairOutputs(pred, rows, bins, 256, { start: 0, end: 256, feature: 0, bin, defaultLeft, missing: nBins, left: 1, right: 2 }, 0, 256, new Float64Array(2));
        for (let code = 0; code < 256; code++) {
          const left = code === nBins ? defaultLeft : code <= bin;
          expect(pred[code], `bin ${bin} defaultLeft ${defaultLeft} code ${code}`).toBe(left ? 1 : 2);
        }
      }
    }
  });
});
