// What the helper threads share with the thread growing the tree (see parallel-kernels.ts).
// Everything lives in SharedArrayBuffers; commands go through an Int32Array with Atomics.
import { addShiftedHistogram, buildHistogram, gradientPass } from '../histogram';
import { runSplitTask, type RegularizationParams, type SlotLayout } from '../split-finder';
import { addLeafOutput, addPairOutputs, partitionRange, type LeafPair } from '../partition';
import type { CopyFn, HistogramFn, PartitionFn } from '../wasm-kernels';

/** Control words. */
export const SEQ = 0; // bumped for every command
export const DONE = 1; // helpers that finished the current command
export const CMD = 2;
export const N_CHUNKS = 3; // histogram arena chunks in use
export const N_ACTIVE = 4; // active features of the current command
export const READY = 5; // helpers in their command loop
export const CONTROL_WORDS = 8;

export const CMD_RUN = 1;
export const CMD_STOP = 2;

/**
 * Work items: a count, then ITEM_WORDS words each:
 *   histogram  [0, histId, start, end]
 *   partition  [1, start, end, feature, bin, flags (1 = default left, 2 = join), missing code, out slot]
 *   gradients  [2, from, to, out slot]: grad = pred − y on rows from..to; Σgrad², Σgrad → sums[2·slot..]
 *   leaf       [3, start, end, value slot]: pred[rows[i]] += values[slot]
 *   leaf pair  [4, start, end, feature, bin, default left, missing code, value slot]: values[slot] left, [slot + 1] right
 *   root       [5, histId, from, to, leaves]: hist[from..to) = Σ over the first `leaves` entries of
 *              leafHists/values of leaf[G] + v·leaf[H], leaf[H] (the next root histogram, by slot range)
 *   split      [6, histId, subtract histId or −1, search, slot]: hist −= subtract, then its best split
 *              (node sums at nodeSums[2·slot..]) → splits[SPLIT_WORDS·slot..] (see writeSplit)
 */
export const ITEM_WORDS = 8;
export const ITEM_HIST = 0;
export const ITEM_PARTITION = 1;
export const ITEM_GRADIENTS = 2;
export const ITEM_LEAF = 3;
export const ITEM_PAIR = 4;
export const ITEM_ROOT = 5;
export const ITEM_SPLIT = 6;
/** A split item's result: found (0/1), lossChange, feature, bin, defaultLeft, gradLeft, hessLeft, gradRight, hessRight. */
export const SPLIT_WORDS = 9;
export const FLAG_DEFAULT_LEFT = 1;
export const FLAG_JOIN = 2;
/** Items per thread and command (a tree level has at most this many nodes here). */
export const MAX_ITEMS = 4096;

/** Histograms per arena chunk. */
export const HISTS_PER_CHUNK = 16;

/** The shared buffers, as each thread sees them. */
export interface SharedData {
  nFeatures: number;
  nRows: number;
  histSize: number;
  rowSlots: Uint16Array | Uint32Array;
  bins: Uint8Array;
  rows: Uint32Array;
  /** Scratch of partitions: a node's right-going rows at the node's own positions. */
  right: Uint32Array;
  grad: Float64Array;
  hess: Float64Array;
  features: Int32Array;
  control: Int32Array;
  /** Left counts of partition items, by out slot. */
  counts: Int32Array;
  pred: Float64Array;
  y: Float64Array;
  /** Partial sums of gradient items, by out slot. */
  sums: Float64Array;
  /** Leaf outputs of leaf, pair and root items. */
  values: Float64Array;
  /** Histogram ids of the previous tree's leaves (root items). */
  leafHists: Int32Array;
  /** The histogram layout's offsets and nBins (split items). */
  layout: SlotLayout;
  /** lambda, alpha, min_child_weight of the current split items. */
  regularization: Float64Array;
  /** ΣG, ΣH of split items' nodes, by slot. */
  nodeSums: Float64Array;
  /** Results of split items, SPLIT_WORDS by slot. */
  splits: Float64Array;
  /**
   * When rows, right and bins are views of one shared wasm memory (rows at byte 0, right at
   * 4·nRows, bins at 8·nRows; see wasm-kernels.ts): the memory, for partitioning in wasm.
   */
  wasm: {
    memory: WebAssembly.Memory;
    pages: number;
    /** Byte offsets of grad, hess and the Uint16 slots in it, when histograms are built in wasm (slots −1: not). */
    grad: number;
    hess: number;
    slots: number;
  } | null;
}

export interface HelperSetup {
  data: SharedData;
  /** This helper's work list. */
  items: Int32Array;
  /** Arena chunks that exist already; later ones arrive on a MessagePort. */
  arena: Float64Array[];
}

/** Runs a work list (the same code on every thread). */
export function runItems(d: SharedData, items: Int32Array, nActive: number, histAt: (id: number) => Float64Array, scratch: Float64Array, wasm: { part: PartitionFn; hist: HistogramFn; copy: CopyFn } | null): void {
  const features = d.features.subarray(0, nActive);
  const n = items[0];
  for (let k = 0; k < n; k++) {
    const w = 1 + k * ITEM_WORDS;
    switch (items[w]) {
      case ITEM_HIST: {
        const hist = histAt(items[w + 1]);
        hist.fill(0);
        const m = d.wasm;
        if (wasm && m && m.slots >= 0 && nActive === d.nFeatures && hist.buffer === d.rows.buffer) {
          wasm.hist(0, items[w + 2], items[w + 3], m.grad, m.hess, m.slots, d.nFeatures, hist.byteOffset);
          break;
        }
        buildHistogram(hist, d.nFeatures, d.rowSlots, d.rows, items[w + 2], items[w + 3], d.grad, d.hess, features);
        break;
      }
      case ITEM_PARTITION: {
        const flags = items[w + 5];
        if (wasm) {
          const from = items[w + 1];
          const to = items[w + 2];
          const n = d.nRows;
          const limit = (flags & FLAG_DEFAULT_LEFT) !== 0 ? items[w + 6] : 256;
          const l = wasm.part(0, 4 * n, 8 * n + items[w + 3] * n, from, to, items[w + 4], limit);
          // As partitionRange: the right-going rows are at right[from..], after the left ones with join.
          if ((flags & FLAG_JOIN) !== 0 && to - from > l) wasm.copy(4 * (from + l), 4 * (n + from), 4 * (to - from - l));
          d.counts[items[w + 7]] = l;
          break;
        }
        d.counts[items[w + 7]] = partitionRange(
          d.rows, d.right, d.bins, d.nRows, items[w + 1], items[w + 2], items[w + 3], items[w + 4],
          (flags & FLAG_DEFAULT_LEFT) !== 0, items[w + 6], (flags & FLAG_JOIN) !== 0,
        );
        break;
      }
      case ITEM_GRADIENTS:
        gradientPass(d.pred, d.y, d.grad, items[w + 1], items[w + 2], scratch);
        d.sums[2 * items[w + 3]] = scratch[0];
        d.sums[2 * items[w + 3] + 1] = scratch[1];
        break;
      case ITEM_LEAF:
        addLeafOutput(d.pred, d.rows, items[w + 1], items[w + 2], d.values[items[w + 3]]);
        break;
      case ITEM_PAIR: {
        const slot = items[w + 7];
        const pair: LeafPair = {
          start: items[w + 1], end: items[w + 2], feature: items[w + 3], bin: items[w + 4],
          defaultLeft: items[w + 5] !== 0, missing: items[w + 6], left: d.values[slot], right: d.values[slot + 1],
        };
        addPairOutputs(d.pred, d.rows, d.bins, d.nRows, pair, pair.start, pair.end, scratch);
        break;
      }
      case ITEM_ROOT:
        rootFromLeaves(histAt(items[w + 1]), items[w + 2], items[w + 3], items[w + 4], d, histAt);
        break;
      case ITEM_SPLIT: {
        const slot = items[w + 4];
        const reg: RegularizationParams = { lambda: d.regularization[0], alpha: d.regularization[1], min_child_weight: d.regularization[2] };
        const task = {
          hist: histAt(items[w + 1]),
          subtract: items[w + 2] >= 0 ? histAt(items[w + 2]) : null,
          search: items[w + 3] !== 0,
          sumGrad: d.nodeSums[2 * slot],
          sumHess: d.nodeSums[2 * slot + 1],
        };
        const s = runSplitTask(task, d.layout, features, reg);
        const o = SPLIT_WORDS * slot;
        const out = d.splits;
        out[o] = s ? 1 : 0;
        if (s) {
          out[o + 1] = s.lossChange;
          out[o + 2] = s.feature;
          out[o + 3] = s.bin;
          out[o + 4] = s.defaultLeft ? 1 : 0;
          out[o + 5] = s.gradLeft;
          out[o + 6] = s.hessLeft;
          out[o + 7] = s.gradRight;
          out[o + 8] = s.hessRight;
        }
        break;
      }
      default:
        throw new Error(`gbdt threads: unknown work item ${items[w]}`);
    }
  }
}

/** root[from..to) = Σ_leaves leaf[G] + v·leaf[H], leaf[H] (interleaved G, H; from and to even). */
export function rootFromLeaves(root: Float64Array, from: number, to: number, nLeaves: number, d: SharedData, histAt: (id: number) => Float64Array): void {
  root.fill(0, from, to);
  for (let k = 0; k < nLeaves; k++) addShiftedHistogram(root, histAt(d.leafHists[k]), d.values[k], from, to);
}

export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * n));
}

export function sharedUint32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(4 * n));
}

export function sharedInt32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * n));
}

/** A shared copy of a typed array. */
export function sharedCopy<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}
