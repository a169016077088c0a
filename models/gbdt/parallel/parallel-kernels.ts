// The worker_threads build: the thread growing the tree plus N − 1 helper threads share the binned
// rows, gradients and row buffer (SharedArrayBuffers) and split the row-heavy work of each step:
// - a batch of node histograms (a whole level under depthwise) is cut into N shares of about
//   equal row counts: a node bigger than a share is split by rows, each thread summing its part
//   into a histogram of its own (reduced afterwards); smaller nodes go whole to one thread, which
//   writes straight into the node's histogram;
// - a batch of partitions likewise: a big node is partitioned in N row ranges and the pieces are
//   joined afterwards (left pieces in order, then right pieces); small nodes go whole to one thread.
// - a batch of split searches (a level's children: the sibling's subtraction, then each child's
//   search) goes task by task to the thread with the least work so far; results come back through
//   a shared Float64Array, and the tree-growing thread keeps the growth policy.
import path from 'node:path';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { startTsWorker } from '../../../lib/ts-worker';
import { sharedWasmFns, type CopyFn, type HistogramFn, type PartitionFn, type SharedWasmMemory } from '../wasm-kernels';
import type { HistogramJob, LeafSegment, TreeKernels } from '../tree-builder';
import { addLeafOutput, addPairOutputs, type LeafPair, type PartitionJob } from '../partition';
import { addShiftedHistogram, gradientPass } from '../histogram';
import type { BinLayout } from '../binning';
import { runSplitTask, type RegularizationParams, type SplitCandidate, type SplitTask } from '../split-finder';
import {
  CMD, CMD_RUN, CMD_STOP, CONTROL_WORDS, DONE, FLAG_DEFAULT_LEFT, FLAG_JOIN, HISTS_PER_CHUNK, ITEM_GRADIENTS, ITEM_HIST, ITEM_LEAF,
  ITEM_PAIR, ITEM_PARTITION, ITEM_ROOT, ITEM_SPLIT, ITEM_WORDS, SPLIT_WORDS, MAX_ITEMS, N_ACTIVE, N_CHUNKS, READY, SEQ, runItems, sharedCopy, sharedFloat64,
  sharedInt32, sharedUint32, type HelperSetup, type SharedData,
} from './protocol';

/** Below this many rows in a batch, one thread does it: waking the others costs more. */
const MIN_PARALLEL_ROWS = 8192;

const helperPool: Worker[] = [];

/** The first n helper threads of this thread's pool, started on first use. */
export function helpers(n: number): Worker[] {
  while (helperPool.length < n) helperPool.push(startTsWorker(path.join(__dirname, 'helper-thread.ts')));
  const out = helperPool.slice(0, n);
  for (const w of out) w.unref();
  return out;
}

/** Stops the idle helper threads. */
export async function closeHelperThreads(): Promise<void> {
  await Promise.all(helperPool.splice(0).map((w) => w.terminate()));
}

/** Items for one thread, written into its Int32Array. */
class ItemList {
  count = 0;
  rows = 0;
  constructor(readonly buf: Int32Array) {}
  reset(): void {
    this.count = 0;
    this.rows = 0;
    // The thread reads its count from the buffer: a list left empty must not rerun the last command's items.
    this.buf[0] = 0;
  }
  push(words: number[], rows: number): void {
    if (this.count >= MAX_ITEMS) throw new Error('gbdt threads: too many nodes in one batch');
    this.buf.set(words, 1 + this.count * ITEM_WORDS);
    this.count++;
    this.buf[0] = this.count;
    this.rows += rows;
  }
}

export class ParallelKernels implements TreeKernels {
  private readonly nThreads: number;
  private readonly d: SharedData;
  private readonly arena: Float64Array[] = [];
  private readonly ids = new Map<Float64Array, number>();
  private readonly free: Float64Array[] = [];
  /** lists[0] is this thread's. */
  private readonly lists: ItemList[] = [];
  private readonly ports: MessagePort[] = [];
  /** Per thread: private histograms for parts of split nodes. */
  private readonly scratch: Float64Array[][] = [];
  private readonly pairOutputs = new Float64Array(2);
  private nHists = 0;
  private readonly wasm: { part: PartitionFn; hist: HistogramFn; copy: CopyFn } | null;
  /** Arena chunks in the shared wasm memory not used yet. */
  private wasmChunks: Float64Array[] = [];
  private closed = false;

  constructor(
    threads: number,
    nFeatures: number,
    nRows: number,
    layout: BinLayout,
    rowSlots: Uint16Array | Uint32Array,
    bins: Uint8Array,
    /** Shared: the row buffer, gradients, hessians, predictions (updated by addOutputs). */
    rows: Uint32Array,
    grad: Float64Array,
    hess: Float64Array,
    pred: Float64Array,
    y: Float64Array,
    /** When `rows` is this memory's row buffer: partition in wasm on every thread (see wasm-kernels.ts). */
    wasm: SharedWasmMemory | null = null,
  ) {
    for (const a of [rows, grad, hess, pred]) if (!(a.buffer instanceof SharedArrayBuffer)) throw new Error('ParallelKernels needs shared rows, grad, hess and pred');
    this.nThreads = threads;
    this.d = {
      nFeatures,
      nRows,
      histSize: layout.totalSlots * 2,
      rowSlots: wasm && rows === wasm.rows && wasm.slots ? wasm.slots : sharedCopy(rowSlots),
      bins: wasm && rows === wasm.rows ? wasm.bins : bins.buffer instanceof SharedArrayBuffer ? bins : sharedCopy(bins),
      rows,
      right: wasm && rows === wasm.rows ? wasm.right : sharedUint32(nRows),
      grad,
      hess,
      features: sharedInt32(nFeatures),
      control: sharedInt32(CONTROL_WORDS),
      counts: sharedInt32(threads * MAX_ITEMS),
      pred,
      y: sharedCopy(y),
      sums: sharedFloat64(2 * threads),
      values: sharedFloat64(2 * MAX_ITEMS),
      leafHists: sharedInt32(MAX_ITEMS),
      layout: { offsets: sharedCopy(layout.offsets), nBins: sharedCopy(layout.nBins) },
      regularization: sharedFloat64(3),
      nodeSums: sharedFloat64(2 * MAX_ITEMS),
      splits: sharedFloat64(SPLIT_WORDS * MAX_ITEMS),
      wasm: wasm && rows === wasm.rows
        ? { memory: wasm.memory, pages: wasm.pages, grad: grad === wasm.grad ? grad.byteOffset : -1, hess: hess === wasm.hess ? hess.byteOffset : -1, slots: grad === wasm.grad && hess === wasm.hess && wasm.slots ? wasm.slots.byteOffset : -1 }
        : null,
    };
    this.wasm = this.d.wasm ? sharedWasmFns(this.d.wasm) : null;
    if (this.d.wasm?.slots !== undefined && this.d.wasm.slots >= 0) this.wasmChunks = [...wasm!.chunks];
    this.addChunk();
    for (let t = 0; t < threads; t++) {
      this.lists.push(new ItemList(sharedInt32(1 + ITEM_WORDS * MAX_ITEMS)));
      this.scratch.push([]);
    }
    helpers(threads - 1).forEach((w, k) => {
      const { port1, port2 } = new MessageChannel();
      this.ports.push(port1);
      const setup: HelperSetup = { data: this.d, items: this.lists[k + 1].buf, arena: [...this.arena] };
      w.postMessage({ setup, chunks: port2 }, [port2]);
    });
    const ctl = this.d.control;
    for (let r; (r = Atomics.load(ctl, READY)) < threads - 1; ) {
      if (Atomics.wait(ctl, READY, r, 60_000) === 'timed-out') throw new Error(`gbdt helper threads did not start (${r} of ${threads - 1} ready after 60 s)`);
    }
  }

  private addChunk(): void {
    const chunk = this.wasmChunks.shift() ?? new Float64Array(new SharedArrayBuffer(8 * this.d.histSize * HISTS_PER_CHUNK));
    this.arena.push(chunk);
    Atomics.store(this.d.control, N_CHUNKS, this.arena.length);
    for (const p of this.ports) p.postMessage(chunk);
  }

  private histAt = (id: number): Float64Array => {
    const off = (id % HISTS_PER_CHUNK) * this.d.histSize;
    return this.arena[Math.floor(id / HISTS_PER_CHUNK)].subarray(off, off + this.d.histSize);
  };

  private newHist(): Float64Array {
    const id = this.nHists++;
    if (id >= this.arena.length * HISTS_PER_CHUNK) this.addChunk();
    const h = this.histAt(id);
    this.ids.set(h, id);
    return h;
  }

  /** Not zeroed: a histogram item zeroes its histogram on the thread that builds it. */
  acquire(): Float64Array {
    return this.free.pop() ?? this.newHist();
  }

  release(h: Float64Array): void {
    this.free.push(h);
  }

  private scratchOf(thread: number, k: number): Float64Array {
    const list = this.scratch[thread];
    while (list.length <= k) list.push(this.newHist());
    return list[k];
  }

  /** The thread with the fewest rows so far. */
  private lightest(): ItemList {
    let best = this.lists[0];
    for (const l of this.lists) if (l.rows < best.rows) best = l;
    return best;
  }

  /** Hands out the items, runs this thread's share, waits for the helpers. */
  private run(nActive: number): void {
    const ctl = this.d.control;
    Atomics.store(ctl, N_ACTIVE, nActive);
    Atomics.store(ctl, CMD, CMD_RUN);
    Atomics.store(ctl, DONE, 0);
    Atomics.add(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    runItems(this.d, this.lists[0].buf, nActive, this.histAt, this.pairOutputs, this.wasm);
    for (let d; (d = Atomics.load(ctl, DONE)) < this.nThreads - 1; ) Atomics.wait(ctl, DONE, d);
  }

  private parallel(total: number): boolean {
    return !this.closed && total >= MIN_PARALLEL_ROWS;
  }

  build(jobs: HistogramJob[], rows: Uint32Array, grad: Float64Array, hess: Float64Array, features: Int32Array): void {
    let total = 0;
    for (const j of jobs) total += j.end - j.start;
    this.d.features.set(features);
    for (const l of this.lists) l.reset();
    if (rows !== this.d.rows || grad !== this.d.grad || hess !== this.d.hess) throw new Error('ParallelKernels: buffers differ from the shared ones');
    const T = this.nThreads;
    const perShare = total / T;
    const reduce: { target: Float64Array; parts: Float64Array[] }[] = [];
    const splits = new Int32Array(T);
    const serial = !this.parallel(total);
    for (const j of [...jobs].sort((a, b) => b.end - b.start - (a.end - a.start))) {
      const size = j.end - j.start;
      if (!serial && size > perShare && size >= MIN_PARALLEL_ROWS / 2) {
        const parts: Float64Array[] = [];
        for (let t = 0; t < T; t++) {
          const from = j.start + Math.floor((size * t) / T);
          const to = j.start + Math.floor((size * (t + 1)) / T);
          // Thread 0 sums straight into the node's histogram, the others into their scratch.
          const h = t === 0 ? j.hist : this.scratchOf(t, splits[t]++);
          if (t > 0) parts.push(h);
          this.lists[t].push([ITEM_HIST, this.ids.get(h)!, from, to], to - from);
        }
        reduce.push({ target: j.hist, parts });
      } else {
        (serial ? this.lists[0] : this.lightest()).push([ITEM_HIST, this.ids.get(j.hist)!, j.start, j.end], size);
      }
    }
    if (serial) runItems(this.d, this.lists[0].buf, features.length, this.histAt, this.pairOutputs, this.wasm);
    else this.run(features.length);
    for (const { target, parts } of reduce) for (const p of parts) for (let i = 0; i < target.length; i++) target[i] += p[i];
  }

  partition(jobs: PartitionJob[], rows: Uint32Array): void {
    if (rows !== this.d.rows) throw new Error('ParallelKernels: row buffer differs from the shared one');
    let total = 0;
    for (const j of jobs) total += j.end - j.start;
    for (const l of this.lists) l.reset();
    const T = this.nThreads;
    const perShare = total / T;
    const serial = !this.parallel(total);
    let slot = 0;
    const joins: { job: PartitionJob; pieces: { from: number; to: number; slot: number }[] }[] = [];
    const whole: { job: PartitionJob; slot: number }[] = [];
    const item = (j: PartitionJob, from: number, to: number, join: boolean, s: number) => [
      ITEM_PARTITION, from, to, j.feature, j.bin, (j.defaultLeft ? FLAG_DEFAULT_LEFT : 0) | (join ? FLAG_JOIN : 0), j.missing, s,
    ];
    for (const j of [...jobs].sort((a, b) => b.end - b.start - (a.end - a.start))) {
      const size = j.end - j.start;
      if (!serial && size > perShare && size >= MIN_PARALLEL_ROWS / 2) {
        const pieces = [];
        for (let t = 0; t < T; t++) {
          const from = j.start + Math.floor((size * t) / T);
          const to = j.start + Math.floor((size * (t + 1)) / T);
          pieces.push({ from, to, slot });
          this.lists[t].push(item(j, from, to, false, slot++), to - from);
        }
        joins.push({ job: j, pieces });
      } else {
        whole.push({ job: j, slot });
        (serial ? this.lists[0] : this.lightest()).push(item(j, j.start, j.end, true, slot++), size);
      }
    }
    if (serial) runItems(this.d, this.lists[0].buf, 0, this.histAt, this.pairOutputs, this.wasm);
    else this.run(0);
    const counts = this.d.counts;
    for (const { job, slot: s } of whole) job.mid = job.start + counts[s];
    const right = this.d.right;
    const wasmCopy = this.wasm?.copy;
    for (const { job, pieces } of joins) {
      // Left pieces move down in order (copyWithin is a memmove), then the right pieces follow.
      let dst = job.start;
      for (const p of pieces) {
        const l = counts[p.slot];
        if (dst !== p.from) {
          // In the shared wasm memory (rows at byte 0, right at 4·nRows) memory.copy is the cheap memmove.
          if (wasmCopy) wasmCopy(4 * dst, 4 * p.from, 4 * l);
          else rows.copyWithin(dst, p.from, p.from + l);
        }
        dst += l;
      }
      job.mid = dst;
      for (const p of pieces) {
        const r = p.to - p.from - counts[p.slot];
        if (wasmCopy) wasmCopy(4 * dst, 4 * (this.d.nRows + p.from), 4 * r);
        else rows.set(right.subarray(p.from, p.from + r), dst);
        dst += r;
      }
    }
  }

  /**
   * Queues row ranges of disjoint segments: one bigger than a thread's share is cut into a piece
   * per thread, smaller ones go whole to the thread with the fewest rows so far.
   */
  private shareRows<S extends { start: number; end: number }>(segments: S[], push: (list: ItemList, seg: S, from: number, to: number) => void): void {
    let total = 0;
    for (const g of segments) total += g.end - g.start;
    const T = this.nThreads;
    const perShare = total / T;
    for (const g of [...segments].sort((a, b) => b.end - b.start - (a.end - a.start))) {
      const size = g.end - g.start;
      if (size > perShare && size >= MIN_PARALLEL_ROWS / 2) {
        for (let t = 0; t < T; t++) push(this.lists[t], g, g.start + Math.floor((size * t) / T), g.start + Math.floor((size * (t + 1)) / T));
      } else {
        push(this.lightest(), g, g.start, g.end);
      }
    }
  }

  addOutputs(pred: Float64Array, rows: Uint32Array, leaves: LeafSegment[], pairs: LeafPair[]): void {
    if (rows !== this.d.rows || pred !== this.d.pred) throw new Error('ParallelKernels: buffers differ from the shared ones');
    let total = 0;
    for (const g of leaves) total += g.end - g.start;
    for (const g of pairs) total += g.end - g.start;
    if (!this.parallel(total) || leaves.length + 2 * pairs.length > this.d.values.length) {
      for (const leaf of leaves) addLeafOutput(pred, rows, leaf.start, leaf.end, leaf.value);
      for (const pair of pairs) addPairOutputs(pred, rows, this.d.bins, this.d.nRows, pair, pair.start, pair.end, this.pairOutputs);
      return;
    }
    for (const l of this.lists) l.reset();
    const values = this.d.values;
    const slot = new Map<LeafSegment | LeafPair, number>();
    let next = 0;
    for (const leaf of leaves) {
      values[next] = leaf.value;
      slot.set(leaf, next++);
    }
    for (const pair of pairs) {
      values[next] = pair.left;
      values[next + 1] = pair.right;
      slot.set(pair, next);
      next += 2;
    }
    this.shareRows(leaves, (list, leaf, from, to) => list.push([ITEM_LEAF, from, to, slot.get(leaf)!], to - from));
    this.shareRows(pairs, (list, q, from, to) =>
      list.push([ITEM_PAIR, from, to, q.feature, q.bin, q.defaultLeft ? 1 : 0, q.missing, slot.get(q)!], to - from),
    );
    this.run(0);
  }

  gradients(pred: Float64Array, y: Float64Array, grad: Float64Array): { sse: number; sumGrad: number } {
    if (pred !== this.d.pred || grad !== this.d.grad) throw new Error('ParallelKernels: buffers differ from the shared ones');
    const n = this.d.nRows;
    if (!this.parallel(n)) {
      gradientPass(pred, y, grad, 0, n, this.pairOutputs);
      return { sse: this.pairOutputs[0], sumGrad: this.pairOutputs[1] };
    }
    // Fixed ranges, one per thread, so the sums do not depend on timing.
    for (const l of this.lists) l.reset();
    const T = this.nThreads;
    for (let t = 0; t < T; t++) this.lists[t].push([ITEM_GRADIENTS, Math.floor((n * t) / T), Math.floor((n * (t + 1)) / T), t], 0);
    this.run(0);
    let sse = 0;
    let sumGrad = 0;
    for (let t = 0; t < T; t++) {
      sse += this.d.sums[2 * t];
      sumGrad += this.d.sums[2 * t + 1];
    }
    return { sse, sumGrad };
  }

  rootFromLeaves(root: Float64Array, leaves: { hist: Float64Array; value: number }[]): void {
    const size = this.d.histSize;
    if (this.closed || leaves.length > this.d.leafHists.length || leaves.length * size < MIN_PARALLEL_ROWS * 16) {
      root.fill(0);
      for (const leaf of leaves) addShiftedHistogram(root, leaf.hist, leaf.value, 0, root.length);
      return;
    }
    leaves.forEach((leaf, k) => {
      this.d.leafHists[k] = this.ids.get(leaf.hist)!;
      this.d.values[k] = leaf.value;
    });
    for (const l of this.lists) l.reset();
    const T = this.nThreads;
    const slots = size / 2;
    for (let t = 0; t < T; t++) {
      const from = 2 * Math.floor((slots * t) / T);
      const to = 2 * Math.floor((slots * (t + 1)) / T);
      this.lists[t].push([ITEM_ROOT, this.ids.get(root)!, from, to, leaves.length], 0);
    }
    this.run(0);
  }

  splits(tasks: SplitTask[], features: Int32Array, layout: BinLayout, p: RegularizationParams): (SplitCandidate | null)[] {
    // A search costs about as much as waking a helper: share out batches of two or more.
    if (this.closed || tasks.length < 2 || tasks.length > MAX_ITEMS) return tasks.map((t) => runSplitTask(t, layout, features, p));
    const d = this.d;
    d.features.set(features);
    d.regularization[0] = p.lambda;
    d.regularization[1] = p.alpha;
    d.regularization[2] = p.min_child_weight;
    for (const l of this.lists) l.reset();
    tasks.forEach((t, k) => {
      d.nodeSums[2 * k] = t.sumGrad;
      d.nodeSums[2 * k + 1] = t.sumHess;
      // Balanced by cost: a search ≈ 4 subtractions.
      const cost = (t.search ? 4 : 0) + (t.subtract ? 1 : 0);
      if (cost > 0) this.lightest().push([ITEM_SPLIT, this.ids.get(t.hist)!, t.subtract ? this.ids.get(t.subtract)! : -1, t.search ? 1 : 0, k], cost);
      else d.splits[SPLIT_WORDS * k] = 0;
    });
    this.run(features.length);
    const out = d.splits;
    return tasks.map((t, k) => {
      const o = SPLIT_WORDS * k;
      if (out[o] === 0) return null;
      return {
        lossChange: out[o + 1],
        feature: out[o + 2],
        bin: out[o + 3],
        defaultLeft: out[o + 4] !== 0,
        gradLeft: out[o + 5],
        hessLeft: out[o + 6],
        gradRight: out[o + 7],
        hessRight: out[o + 8],
      };
    });
  }

  /** Sends the helpers back to wait for the next fit. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const ctl = this.d.control;
    Atomics.store(ctl, CMD, CMD_STOP);
    Atomics.add(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    for (const p of this.ports) p.close();
  }
}
