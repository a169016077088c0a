// The wasm partition (one thread's fits) gives exactly partitionRange's rows and counts, and
// trees grown with it are the trees grown with the JS partition.
import { describe, expect, it } from 'vitest';
import { partitionRange } from '../../models/gbdt/partition';
import { WasmPartitioner } from '../../models/gbdt/wasm-partition';
import { binTrainingData, toRowSlots } from '../../models/gbdt/binning';
import { resolveParams } from '../../models/gbdt/params';
import { LocalKernels, TreeBuilder } from '../../models/gbdt/tree-builder';
import { synthetic } from './synthetic';

describe('WasmPartitioner', () => {
  it('partitions exactly as partitionRange: every length, split bin and default direction, missing codes included', () => {
    const nRows = 64;
    const nFeatures = 2;
    const missing = 7;
    const bins = new Uint8Array(nRows * nFeatures);
    for (let f = 0; f < nFeatures; f++) for (let r = 0; r < nRows; r++) bins[f * nRows + r] = (r * (3 + 2 * f) + (r >> 2)) % 8;
    const wasm = WasmPartitioner.create(bins, nRows)!;
    expect(wasm).not.toBeNull();
    for (const defaultLeft of [false, true]) {
      for (let bin = -1; bin <= 6; bin++) {
        for (let len = 0; len <= 23; len++) {
          const start = Uint32Array.from({ length: nRows }, (_, i) => (i * 37) % nRows);
          const want = start.slice();
          wasm.rows.set(start);
          const from = 3 + (len % 5);
          const to = from + len;
          const feature = len % nFeatures;
          const l = partitionRange(want, new Uint32Array(nRows), bins, nRows, from, to, feature, bin, defaultLeft, missing, true);
          expect(wasm.partition(from, to, feature, bin, defaultLeft, missing), `len ${len} bin ${bin} defaultLeft ${defaultLeft}`).toBe(l);
          expect(Array.from(wasm.rows)).toEqual(Array.from(want));
        }
      }
    }
  });

  it('nested partitions of a large shuffled buffer, 255-bin codes', () => {
    const nRows = 50_000;
    const nFeatures = 3;
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    const bins = Uint8Array.from({ length: nRows * nFeatures }, () => rnd(256));
    const wasm = WasmPartitioner.create(bins, nRows)!;
    const want = Uint32Array.from({ length: nRows }, (_, i) => i);
    for (let i = nRows - 1; i > 0; i--) {
      const j = rnd(i + 1);
      [want[i], want[j]] = [want[j], want[i]];
    }
    wasm.rows.set(want);
    const scratch = new Uint32Array(nRows);
    // Split the whole range, then each side, three levels deep.
    let ranges = [[0, nRows]];
    for (let level = 0; level < 3; level++) {
      const next: number[][] = [];
      for (const [from, to] of ranges) {
        const feature = rnd(nFeatures);
        const bin = rnd(255);
        const defaultLeft = rnd(2) === 0;
        const l = partitionRange(want, scratch, bins, nRows, from, to, feature, bin, defaultLeft, 255, true);
        expect(wasm.partition(from, to, feature, bin, defaultLeft, 255)).toBe(l);
        next.push([from, from + l], [from + l, to]);
      }
      ranges = next;
      expect(Buffer.from(wasm.rows.buffer, wasm.rows.byteOffset, 4 * nRows).equals(Buffer.from(want.buffer))).toBe(true);
    }
  });

  it('grows the same trees as the JS partition', () => {
    const { X, y, n, f } = synthetic(6000, 5, (x) => Math.sin(3 * x[0]) + x[1] * x[2] - (x[3] > 0.2 ? 0.5 : 0), 3, 0.1);
    for (let i = 0; i < n; i += 11) X[i * f + (i % f)] = NaN;
    const { layout, bins } = binTrainingData(X, n, f, 64);
    const rowSlots = toRowSlots(bins, n, layout);
    const p = resolveParams({ max_depth: 5, eta: 0.3 });
    const wasm = WasmPartitioner.create(bins, n)!;
    const grow = (kernels: LocalKernels, rows: Uint32Array) => {
      const builder = new TreeBuilder(layout, bins, rowSlots, n, p, kernels);
      const pred = new Float64Array(n);
      const grad = new Float64Array(n);
      const hess = new Float64Array(n).fill(1);
      const trees = [];
      for (let t = 0; t < 4; t++) {
        for (let i = 0; i < n; i++) grad[i] = pred[i] - y[i];
        for (let i = 0; i < n; i++) rows[i] = i;
        const { tree, leaves, pairs } = builder.grow(rows, n, grad, hess, Int32Array.from({ length: f }, (_, k) => k), true);
        kernels.addOutputs(pred, rows, leaves, pairs);
        trees.push([Array.from(tree.feature), Array.from(tree.threshold), Array.from(tree.value), Array.from(tree.defaultLeft)]);
      }
      return trees;
    };
    const viaWasm = grow(new LocalKernels(f, rowSlots, layout.totalSlots, bins, n, wasm), wasm.rows);
    const viaJs = grow(new LocalKernels(f, rowSlots, layout.totalSlots, bins, n), new Uint32Array(n));
    expect(viaWasm).toEqual(viaJs);
    expect(viaWasm[0][0].filter((k) => k !== 0).length).toBeGreaterThan(3);
  });
});
