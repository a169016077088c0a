// The wasm kernels (one thread's fits) give exactly partitionRange's rows and counts and
// buildHistogram's histograms, and trees grown with them are the trees grown in JS.
import { afterAll, describe, expect, it } from 'vitest';
import { partitionRange } from '../../models/gbdt/partition';
import { buildHistogram } from '../../models/gbdt/histogram';
import { sharedWasmMemory, WasmKernels } from '../../models/gbdt/wasm-kernels';
import { closeHelperThreads, ParallelKernels } from '../../models/gbdt/parallel/parallel-kernels';
import { HISTS_PER_CHUNK, sharedFloat64, sharedUint32 } from '../../models/gbdt/parallel/protocol';
import type { PartitionJob } from '../../models/gbdt/partition';
import { binTrainingData, toRowSlots } from '../../models/gbdt/binning';
import { resolveParams } from '../../models/gbdt/params';
import { LocalKernels, TreeBuilder } from '../../models/gbdt/tree-builder';
import { synthetic } from './synthetic';

describe('WasmKernels', () => {
  afterAll(() => closeHelperThreads());

  it('partitions exactly as partitionRange: every length, split bin and default direction, missing codes included', () => {
    const nRows = 64;
    const nFeatures = 2;
    const missing = 7;
    const bins = new Uint8Array(nRows * nFeatures);
    for (let f = 0; f < nFeatures; f++) for (let r = 0; r < nRows; r++) bins[f * nRows + r] = (r * (3 + 2 * f) + (r >> 2)) % 8;
    const wasm = WasmKernels.create(bins, new Uint16Array(nRows * nFeatures), nRows, nFeatures, 2)!;
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
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const bins = Uint8Array.from({ length: nRows * nFeatures }, () => rnd(256));
    const wasm = WasmKernels.create(bins, new Uint16Array(nRows * nFeatures), nRows, nFeatures, 2)!;
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

  it('builds exactly buildHistogram\'s histograms: same sums in the same order, any hessians, over shuffled row ranges', () => {
    const nRows = 20_000;
    const nFeatures = 7;
    const { X } = synthetic(nRows, nFeatures, () => 0, 5);
    for (let i = 0; i < nRows; i += 13) X[i * nFeatures + (i % nFeatures)] = NaN;
    const { layout, bins } = binTrainingData(X, nRows, nFeatures, 32);
    const rowSlots = toRowSlots(bins, nRows, layout) as Uint16Array;
    const size = 2 * layout.totalSlots;
    const wasm = WasmKernels.create(bins, rowSlots, nRows, nFeatures, size)!;
    let seed = 9;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < nRows; i++) {
      wasm.grad[i] = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 6 - 3);
      wasm.hess[i] = rnd() < 0.5 ? 1 : rnd() * 3;
      wasm.rows[i] = i;
    }
    for (let i = nRows - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [wasm.rows[i], wasm.rows[j]] = [wasm.rows[j], wasm.rows[i]];
    }
    const all = Int32Array.from({ length: nFeatures }, (_, k) => k);
    for (const [start, end] of [[0, nRows], [17, 18], [100, 5_100], [3, 3], [12_345, 19_999]]) {
      const got = wasm.acquire()!;
      got.fill(1.5); // acquire zeroes a recycled histogram
      wasm.release(got);
      const h = wasm.acquire()!;
      expect(wasm.owns(h)).toBe(true);
      wasm.build(h, start, end);
      const want = new Float64Array(size);
      buildHistogram(want, nFeatures, rowSlots, wasm.rows, start, end, wasm.grad, wasm.hess, all);
      expect(Buffer.from(h.buffer, h.byteOffset, 8 * size).equals(Buffer.from(want.buffer)), `rows ${start}..${end}`).toBe(true);
      wasm.release(h);
    }
  });

  it('grows the same trees as the JS kernels', () => {
    const { X, y, n, f } = synthetic(6000, 5, (x) => Math.sin(3 * x[0]) + x[1] * x[2] - (x[3] > 0.2 ? 0.5 : 0), 3, 0.1);
    for (let i = 0; i < n; i += 11) X[i * f + (i % f)] = NaN;
    const { layout, bins } = binTrainingData(X, n, f, 64);
    const rowSlots = toRowSlots(bins, n, layout);
    const p = resolveParams({ max_depth: 5, eta: 0.3 });
    const wasm = WasmKernels.create(bins, rowSlots, n, f, 2 * layout.totalSlots)!;
    const grow = (kernels: LocalKernels, rows: Uint32Array, grad: Float64Array, hess: Float64Array) => {
      const builder = new TreeBuilder(layout, bins, rowSlots, n, p, kernels);
      const pred = new Float64Array(n);
      hess.fill(1);
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
    const viaWasm = grow(new LocalKernels(f, rowSlots, layout.totalSlots, bins, n, wasm), wasm.rows, wasm.grad, wasm.hess);
    const viaJs = grow(new LocalKernels(f, rowSlots, layout.totalSlots, bins, n), new Uint32Array(n), new Float64Array(n), new Float64Array(n));
    expect(viaWasm).toEqual(viaJs);
    expect(viaWasm[0][0].filter((k) => k !== 0).length).toBeGreaterThan(3);
  });

  it('the worker_threads build partitions in the shared wasm memory exactly as partitionRange: nodes cut into pieces and whole ones', () => {
    const nRows = 60_000;
    const nFeatures = 3;
    let seed = 21;
    // The high bits of the generator (its low bits have short periods).
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const bins = Uint8Array.from({ length: nRows * nFeatures }, () => rnd(256));
    const layout = { nFeatures, cuts: [], nBins: Int32Array.from([255, 255, 255]), offsets: Int32Array.from([0, 256, 512]), totalSlots: 768 };
    for (const threads of [2, 3]) {
      const mem = sharedWasmMemory(bins, new Uint16Array(nRows * nFeatures), nRows, 2 * 768, HISTS_PER_CHUNK)!;
      expect(mem).not.toBeNull();
      const kernels = new ParallelKernels(
        threads, nFeatures, nRows, layout, new Uint16Array(nRows * nFeatures), bins, mem.rows, sharedFloat64(nRows), sharedFloat64(nRows), sharedFloat64(nRows), new Float64Array(nRows), mem,
      );
      try {
        const want = Uint32Array.from({ length: nRows }, (_, i) => i);
        for (let i = nRows - 1; i > 0; i--) {
          const j = rnd(i + 1);
          [want[i], want[j]] = [want[j], want[i]];
        }
        mem.rows.set(want);
        const scratch = new Uint32Array(nRows);
        // One big node (cut into a piece per thread), then its halves, then quarters (whole nodes), with both default directions.
        let ranges = [[0, nRows]];
        for (let level = 0; level < 4; level++) {
          const jobs: PartitionJob[] = ranges.map(([start, end]) => ({ start, end, feature: rnd(nFeatures), bin: rnd(255), defaultLeft: rnd(2) === 0, missing: 255, mid: -1 }));
          kernels.partition(jobs, mem.rows);
          const next: number[][] = [];
          for (const j of jobs) {
            const l = partitionRange(want, scratch, bins, nRows, j.start, j.end, j.feature, j.bin, j.defaultLeft, j.missing, true);
            expect(j.mid, `level ${level}, ${threads} threads`).toBe(j.start + l);
            next.push([j.start, j.mid], [j.mid, j.end]);
          }
          expect(Buffer.from(mem.rows.buffer, 0, 4 * nRows).equals(Buffer.from(want.buffer)), `rows after level ${level}, ${threads} threads`).toBe(true);
          ranges = next;
        }
      } finally {
        kernels.close();
      }
    }
  });

  it('the worker_threads build makes the same histograms in the shared wasm memory as in JS, pieces and reduce included', () => {
    const nRows = 40_000;
    const nFeatures = 6;
    const { X } = synthetic(nRows, nFeatures, () => 0, 8);
    for (let i = 0; i < nRows; i += 7) X[i * nFeatures + (i % nFeatures)] = NaN;
    const { layout, bins } = binTrainingData(X, nRows, nFeatures, 64);
    const rowSlots = toRowSlots(bins, nRows, layout);
    const size = 2 * layout.totalSlots;
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
    const order = Uint32Array.from({ length: nRows }, (_, i) => i);
    for (let i = nRows - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const g = Float64Array.from({ length: nRows }, () => (rnd() - 0.5) * 10 ** Math.floor(rnd() * 6 - 3));
    const h = Float64Array.from({ length: nRows }, () => (rnd() < 0.5 ? 1 : rnd() * 3));
    // Jobs: one node bigger than a thread's share (cut into pieces, reduced), several whole ones.
    const ranges = [[0, 30_000], [30_000, 30_001], [30_001, 34_000], [34_000, 40_000]];
    const all = Int32Array.from({ length: nFeatures }, (_, k) => k);
    // Two rounds of the jobs (the second on recycled histograms); the histograms, copied out.
    const run = (threads: number, wasm: boolean): Float64Array[] => {
      const mem = wasm ? sharedWasmMemory(bins, rowSlots, nRows, size, HISTS_PER_CHUNK)! : null;
      const rows = mem ? mem.rows : sharedUint32(nRows);
      const grad = mem ? mem.grad : sharedFloat64(nRows);
      const hess = mem ? mem.hess : sharedFloat64(nRows);
      rows.set(order);
      grad.set(g);
      hess.set(h);
      // One helper pool serves one ParallelKernels at a time: each run closes its own.
      const kernels = new ParallelKernels(threads, nFeatures, nRows, layout, rowSlots, bins, rows, grad, hess, sharedFloat64(nRows), new Float64Array(nRows), mem);
      const out: Float64Array[] = [];
      try {
        for (let round = 0; round < 2; round++) {
          const jobs = ranges.map(([start, end]) => ({ hist: kernels.acquire(), start, end }));
          jobs.forEach((j) => j.hist.fill(round + 0.5)); // building overwrites what a recycled histogram held
          kernels.build(jobs, rows, grad, hess, all);
          if (mem) expect(jobs[0].hist.buffer).toBe(mem.rows.buffer);
          for (const j of jobs) {
            out.push(j.hist.slice());
            kernels.release(j.hist);
          }
        }
      } finally {
        kernels.close();
      }
      return out;
    };
    for (const threads of [2, 3]) {
      const a = run(threads, true);
      const b = run(threads, false);
      a.forEach((x, k) => expect(Buffer.from(x.buffer).equals(Buffer.from(b[k].buffer)), `histogram ${k}, ${threads} threads`).toBe(true));
    }
  });
});
