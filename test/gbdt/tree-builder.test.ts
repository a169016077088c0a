import { describe, expect, it } from 'vitest';
import { binTrainingData, toRowSlots } from '../../models/gbdt/binning';
import { resolveParams } from '../../models/gbdt/params';
import { TreeBuilder } from '../../models/gbdt/tree-builder';
import { synthetic } from './synthetic';

describe('TreeBuilder root-histogram reuse', () => {
  it('grows the same second tree from the previous leaves as from a fresh pass over the rows', () => {
    const d = synthetic(3000, 4, (x) => Math.sin(4 * x[0]) + x[1] * x[2], 61, 0.2);
    for (let i = 0; i < d.n; i += 9) d.X[i * d.f + 3] = NaN;
    const p = resolveParams({ max_depth: 4, eta: 0.3 });
    const { layout, bins } = binTrainingData(d.X, d.n, d.f, p.max_bin);
    const slots = toRowSlots(bins, d.n, layout);
    const features = Int32Array.from([0, 1, 2, 3]);
    const hess = new Float64Array(d.n).fill(1);
    const pred = new Float64Array(d.n);
    const grad = Float64Array.from(d.y, (y, i) => pred[i] - y);
    const rows = Uint32Array.from({ length: d.n }, (_, i) => i);

    const reusing = new TreeBuilder(layout, bins, slots, d.n, p);
    const first = reusing.grow(rows, d.n, grad, hess, features, true);
    for (const leaf of first.leaves) for (let i = leaf.start; i < leaf.end; i++) pred[rows[i]] += leaf.value;
    for (let i = 0; i < d.n; i++) grad[i] = pred[i] - d.y[i];
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
});
