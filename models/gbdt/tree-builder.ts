import type { BinLayout } from './binning';
import { addShiftedHistogram, buildHistogram, gradientPass, HistogramPool } from './histogram';
import { findBestSplit, leafWeight, runSplitTask, RegularizationParams, SplitCandidate, type SplitTask } from './split-finder';
import type { Tree } from './tree';
import { addLeafOutput, addPairOutputs, partitionRange, type LeafPair, type PartitionJob } from './partition';
import type { WasmKernels } from './wasm-kernels';

export interface TreeParams extends RegularizationParams {
  /** Depth limit; 0 = none for lossguide, a single leaf for depthwise (see params.ts). */
  max_depth: number;
  /** Leaf limit; 0 = none. */
  max_leaves: number;
  grow_policy: GrowPolicy;
  eta: number;
  gamma: number;
}

export type GrowPolicy = 'depthwise' | 'lossguide';

/** A leaf's rows: rows[start..end) of the row buffer passed to grow(), all getting `value`. */
export interface LeafSegment {
  start: number;
  end: number;
  value: number;
}

interface OpenNode {
  id: number;
  depth: number;
  start: number;
  end: number;
  sumGrad: number;
  sumHess: number;
  hist: Float64Array;
  /** Best split, if one is allowed and worth making (evaluated when the node is created). */
  split: SplitCandidate | null;
}

/** One histogram to build: rows[start..end) into `hist`. */
export interface HistogramJob {
  hist: Float64Array;
  start: number;
  end: number;
}

/**
 * The row-heavy work of growing a tree: node histograms and row partitions. The worker_threads
 * build shares it out (parallel/parallel-kernels.ts).
 */
export interface TreeKernels {
  /** A histogram of layout.totalSlots × 2 values, for build() or rootFromLeaves() to overwrite. */
  acquire(): Float64Array;
  release(h: Float64Array): void;
  build(jobs: HistogramJob[], rows: Uint32Array, grad: Float64Array, hess: Float64Array, features: Int32Array): void;
  /** Partitions each job's rows (disjoint ranges of `rows`), setting job.mid. */
  partition(jobs: PartitionJob[], rows: Uint32Array): void;
  /** Adds a tree's outputs to pred: its leaves' and leaf pairs' rows (from grow). */
  addOutputs(pred: Float64Array, rows: Uint32Array, leaves: LeafSegment[], pairs: LeafPair[]): void;
  /** root = Σ_leaves leaf[G] + v·leaf[H], leaf[H] per slot (root zeroed; see TreeBuilder.grow). */
  rootFromLeaves(root: Float64Array, leaves: { hist: Float64Array; value: number }[]): void;
  /** grad = pred − y over all rows; returns Σgrad² and Σgrad. */
  gradients(pred: Float64Array, y: Float64Array, grad: Float64Array): { sse: number; sumGrad: number };
  /** Runs a batch of subtractions and split searches (see SplitTask): each task's best split or null. */
  splits(tasks: SplitTask[], features: Int32Array, layout: BinLayout, p: RegularizationParams): (SplitCandidate | null)[];
}

/** Everything on this thread. */
export class LocalKernels implements TreeKernels {
  private readonly pool: HistogramPool;
  private readonly right: Uint32Array;
  private readonly outputs = new Float64Array(2);
  private readonly sums = new Float64Array(2);
  constructor(
    private readonly nFeatures: number,
    private readonly rowSlots: Uint16Array | Uint32Array,
    totalSlots: number,
    private readonly bins: Uint8Array,
    private readonly nRows: number,
    /** Kernels over its own row buffer and gradients (wasm-kernels.ts); other buffers are handled here. */
    private readonly wasm: WasmKernels | null = null,
  ) {
    this.pool = new HistogramPool(totalSlots * 2);
    this.right = new Uint32Array(wasm ? 0 : nRows);
  }
  partition(jobs: PartitionJob[], rows: Uint32Array): void {
    const wasm = this.wasm;
    if (wasm && rows === wasm.rows) {
      for (const j of jobs) j.mid = j.start + wasm.partition(j.start, j.end, j.feature, j.bin, j.defaultLeft, j.missing);
      return;
    }
    if (this.right.length < this.nRows) throw new Error('LocalKernels: a row buffer other than the wasm one needs its own scratch');
    for (const j of jobs) {
      j.mid = j.start + partitionRange(rows, this.right, this.bins, this.nRows, j.start, j.end, j.feature, j.bin, j.defaultLeft, j.missing, true);
    }
  }
  addOutputs(pred: Float64Array, rows: Uint32Array, leaves: LeafSegment[], pairs: LeafPair[]): void {
    for (const leaf of leaves) addLeafOutput(pred, rows, leaf.start, leaf.end, leaf.value);
    for (const pair of pairs) addPairOutputs(pred, rows, this.bins, this.nRows, pair, pair.start, pair.end, this.outputs);
  }
  gradients(pred: Float64Array, y: Float64Array, grad: Float64Array): { sse: number; sumGrad: number } {
    gradientPass(pred, y, grad, 0, this.nRows, this.sums);
    return { sse: this.sums[0], sumGrad: this.sums[1] };
  }
  rootFromLeaves(root: Float64Array, leaves: { hist: Float64Array; value: number }[]): void {
    for (const leaf of leaves) addShiftedHistogram(root, leaf.hist, leaf.value, 0, root.length);
  }
  splits(tasks: SplitTask[], features: Int32Array, layout: BinLayout, p: RegularizationParams): (SplitCandidate | null)[] {
    return tasks.map((t) => runSplitTask(t, layout, features, p));
  }
  acquire(): Float64Array {
    return this.wasm?.acquire() ?? this.pool.acquire();
  }
  release(h: Float64Array): void {
    if (this.wasm?.owns(h)) this.wasm.release(h);
    else this.pool.release(h);
  }
  build(jobs: HistogramJob[], rows: Uint32Array, grad: Float64Array, hess: Float64Array, features: Int32Array): void {
    const wasm = this.wasm;
    const inWasm = wasm !== null && rows === wasm.rows && grad === wasm.grad && hess === wasm.hess && features.length === this.nFeatures;
    for (const j of jobs) {
      if (inWasm && wasm.owns(j.hist)) wasm.build(j.hist, j.start, j.end);
      else buildHistogram(j.hist, this.nFeatures, this.rowSlots, rows, j.start, j.end, grad, hess, features);
    }
  }
}

/** XGBoost treats a loss change at or below this as no improvement (kRtEps). */
const MIN_LOSS_CHANGE = 1e-6;

const MAX_KEPT_HISTOGRAM_BYTES = 256 * 2 ** 20;

/**
 * Grows trees on binned data, partitioning a row-index buffer node by node, in XGBoost's order:
 * depthwise expands a whole level at a time (nodes numbered breadth-first), lossguide always the
 * open node with the largest loss change (ties: lower node id), numbering nodes as they are made.
 * max_leaves and max_depth bound both, with XGBoost's checks (hist updater's Driver).
 */
export class TreeBuilder {
  private readonly hists: TreeKernels;
  /** Leaf histograms and values of the previous tree, kept when the next root can be derived from them. */
  private previousLeaves: { hist: Float64Array; value: number }[] | null = null;

  constructor(
    private readonly layout: BinLayout,
    /** Column-major codes bins[f·nRows + row], for partitioning. */
    bins: Uint8Array,
    /** Row-major histogram slots (see toRowSlots), for histograms. */
    rowSlots: Uint16Array | Uint32Array,
    private readonly nRows: number,
    private readonly params: TreeParams,
    kernels?: TreeKernels,
  ) {
    this.hists = kernels ?? new LocalKernels(layout.nFeatures, rowSlots, layout.totalSlots, bins, nRows);
  }

  private get depthLimit(): number {
    const p = this.params;
    return p.max_depth > 0 ? p.max_depth : p.grow_policy === 'lossguide' ? Infinity : 0;
  }

  /** Most leaves a tree can have. */
  private get leafLimit(): number {
    const byDepth = 2 ** Math.min(this.depthLimit, 40);
    return this.params.max_leaves > 0 ? Math.min(this.params.max_leaves, byDepth) : byDepth;
  }

  /**
   * Grows one tree on rows[0..count); reorders `rows` so each leaf's rows are contiguous, except
   * under a split whose children are both leaves and whose rows nothing else reads: those stay
   * unpartitioned (a LeafPair), and the prediction update routes each row by its bin.
   *
   * `unitHessian` (every hess[r] = 1 and grad = prediction − label, i.e. squared error) allows
   * histogram reuse across rounds when a tree sees all rows and features: the next gradients are
   * g' = g + v_leaf, so the next root histogram is Σ_leaves (ΣG_leaf + v_leaf·ΣH_leaf) per slot,
   * cheaper than a pass over all rows (the leaves' histograms cost about half a pass). Those
   * trees partition every split, as their leaves need histograms.
   */
  grow(
    rows: Uint32Array,
    count: number,
    grad: Float64Array,
    hess: Float64Array,
    features: Int32Array,
    unitHessian = false,
    /** Σgrad and Σhess over rows[0..count), when the caller has them (summed in row order). */
    sums?: { grad: number; hess: number },
  ): { tree: Tree; leaves: LeafSegment[]; pairs: LeafPair[]; splitBins: Int32Array } {
    const p = this.params;
    const hists = this.hists;
    const nodes = new NodeArrays();
    const leaves: LeafSegment[] = [];
    const pairs: LeafPair[] = [];
    const fullTree = unitHessian && count === this.nRows && features.length === this.layout.nFeatures;
    // Keeping one histogram per leaf must stay affordable (deep trees × many features).
    const keepLeafHists = fullTree && this.leafLimit * this.layout.totalSlots * 16 <= MAX_KEPT_HISTOGRAM_BYTES;
    const leafHists: { hist: Float64Array; value: number }[] = [];
    let sumGrad = sums?.grad ?? 0;
    let sumHess = sums?.hess ?? 0;
    if (!sums) {
      for (let i = 0; i < count; i++) {
        sumGrad += grad[rows[i]];
        sumHess += hess[rows[i]];
      }
    }
    const rootHist = hists.acquire();
    if (fullTree && this.previousLeaves) {
      hists.rootFromLeaves(rootHist, this.previousLeaves);
      for (const leaf of this.previousLeaves) hists.release(leaf.hist);
    } else {
      hists.build([{ hist: rootHist, start: 0, end: count }], rows, grad, hess, features);
    }
    if (this.previousLeaves && !fullTree) for (const leaf of this.previousLeaves) hists.release(leaf.hist);
    this.previousLeaves = null;

    const finish = (node: OpenNode): void => {
      leaves.push({ start: node.start, end: node.end, value: nodes.value[node.id] });
      if (keepLeafHists) leafHists.push({ hist: node.hist, value: nodes.value[node.id] });
      else hists.release(node.hist);
    };
    const depthLimit = this.depthLimit;
    const maxLeaves = p.max_leaves;
    const searchable = (node: OpenNode): boolean => node.depth < depthLimit && node.sumHess >= 2 * p.min_child_weight;
    const keep = (node: OpenNode, split: SplitCandidate | null): void => {
      if (split && split.lossChange > MIN_LOSS_CHANGE && split.lossChange >= p.gamma) node.split = split;
    };
    const evaluate = (node: OpenNode): OpenNode => {
      if (searchable(node)) keep(node, findBestSplit(node.hist, this.layout, features, node.sumGrad, node.sumHess, p));
      return node;
    };

    nodes.add(-1, p.eta * leafWeight(sumGrad, sumHess, p), sumHess);
    let numLeaves = 1;
    let open: OpenNode[] = [evaluate({ id: 0, depth: 0, start: 0, end: count, sumGrad, sumHess, hist: rootHist, split: null })];
    while (open.length > 0) {
      // The batch to expand: a whole level (depthwise) or the best open node (lossguide).
      let batch: OpenNode[];
      if (p.grow_policy === 'lossguide') {
        let best = 0;
        for (let k = 1; k < open.length; k++) if (gainOf(open[k]) > gainOf(open[best]) || (gainOf(open[k]) === gainOf(open[best]) && open[k].id < open[best].id)) best = k;
        batch = [open[best]];
        open.splice(best, 1);
      } else {
        batch = open;
        open = [];
      }
      const expanded: OpenNode[] = [];
      for (const node of batch) {
        if (node.split && (maxLeaves === 0 || numLeaves < maxLeaves)) {
          numLeaves++;
          expanded.push(node);
        } else finish(node);
      }
      // Children get a split evaluated only while depth and leaf budget allow one (XGBoost's IsChildValid).
      const jobs: HistogramJob[] = [];
      const pending: { parent: OpenNode; left: OpenNode; right: OpenNode; smallIsLeft: boolean }[] = [];
      const toSplit: { node: OpenNode; leftId: number; rightId: number }[] = [];
      for (const node of expanded) {
        const split = node.split!;
        const leftId = nodes.add(node.id, p.eta * leafWeight(split.gradLeft, split.hessLeft, p), split.hessLeft);
        const rightId = nodes.add(node.id, p.eta * leafWeight(split.gradRight, split.hessRight, p), split.hessRight);
        nodes.setSplit(node.id, split, this.layout.cuts[split.feature][split.bin], leftId, rightId);
        const childrenMaySplit = node.depth + 1 < depthLimit && (maxLeaves === 0 || numLeaves < maxLeaves);
        if (keepLeafHists || (childrenMaySplit && (split.hessLeft >= 2 * p.min_child_weight || split.hessRight >= 2 * p.min_child_weight))) {
          toSplit.push({ node, leftId, rightId });
          continue;
        }
        // Both children will be leaves: neither their histograms nor the partition would be read.
        hists.release(node.hist);
        pairs.push({
          start: node.start,
          end: node.end,
          feature: split.feature,
          bin: split.bin,
          defaultLeft: split.defaultLeft,
          missing: this.layout.nBins[split.feature],
          left: nodes.value[leftId],
          right: nodes.value[rightId],
        });
      }
      const parts: PartitionJob[] = toSplit.map(({ node }) => ({
        start: node.start,
        end: node.end,
        feature: node.split!.feature,
        bin: node.split!.bin,
        defaultLeft: node.split!.defaultLeft,
        missing: this.layout.nBins[node.split!.feature],
        mid: -1,
      }));
      hists.partition(parts, rows);
      for (let e = 0; e < toSplit.length; e++) {
        const { node, leftId, rightId } = toSplit[e];
        const split = node.split!;
        const mid = parts[e].mid;
        const depth = node.depth + 1;
        const left: OpenNode = { id: leftId, depth, start: node.start, end: mid, sumGrad: split.gradLeft, sumHess: split.hessLeft, hist: node.hist, split: null };
        const right: OpenNode = { id: rightId, depth, start: mid, end: node.end, sumGrad: split.gradRight, sumHess: split.hessRight, hist: node.hist, split: null };
        const smallIsLeft = mid - node.start <= node.end - mid;
        const small = hists.acquire();
        jobs.push(smallIsLeft ? { hist: small, start: node.start, end: mid } : { hist: small, start: mid, end: node.end });
        if (smallIsLeft) left.hist = small;
        else right.hist = small;
        pending.push({ parent: node, left, right, smallIsLeft });
      }
      hists.build(jobs, rows, grad, hess, features);
      // The built child's sibling gets parent − child (in the parent's histogram), and the children
      // that may split are searched: one batch, which the threads share.
      const tasks: SplitTask[] = [];
      const children: OpenNode[] = [];
      const maySplit: boolean[] = [];
      for (const { parent, left, right, smallIsLeft } of pending) {
        const depth = parent.depth + 1;
        const childrenMaySplit = depth < depthLimit && (maxLeaves === 0 || numLeaves < maxLeaves);
        const small = smallIsLeft ? left : right;
        for (const child of [left, right]) {
          tasks.push({
            hist: child.hist,
            subtract: child === small ? null : small.hist,
            search: childrenMaySplit && searchable(child),
            sumGrad: child.sumGrad,
            sumHess: child.sumHess,
          });
          children.push(child);
          maySplit.push(childrenMaySplit);
        }
      }
      const found = tasks.length > 0 ? hists.splits(tasks, features, this.layout, p) : [];
      for (let k = 0; k < children.length; k++) {
        const child = children[k];
        if (maySplit[k]) {
          keep(child, found[k]);
          open.push(child);
        } else finish(child);
      }
    }
    if (keepLeafHists) this.previousLeaves = leafHists;
    return { tree: nodes.toTree(), leaves, pairs, splitBins: Int32Array.from(nodes.bin) };
  }

}

function gainOf(node: OpenNode): number {
  return node.split ? node.split.lossChange : -Infinity;
}

class NodeArrays {
  left: number[] = [];
  right: number[] = [];
  parent: number[] = [];
  feature: number[] = [];
  threshold: number[] = [];
  defaultLeft: number[] = [];
  value: number[] = [];
  lossChange: number[] = [];
  sumHessian: number[] = [];
  /** Split bin of each split node (bins 0..bin go left), 0 for leaves. */
  bin: number[] = [];

  add(parent: number, value: number, sumHessian: number): number {
    this.left.push(-1);
    this.right.push(-1);
    this.parent.push(parent);
    this.feature.push(0);
    this.threshold.push(0);
    this.defaultLeft.push(0);
    this.value.push(Math.fround(value));
    this.lossChange.push(0);
    this.bin.push(0);
    this.sumHessian.push(sumHessian);
    return this.left.length - 1;
  }

  setSplit(id: number, split: SplitCandidate, threshold: number, left: number, right: number): void {
    this.left[id] = left;
    this.right[id] = right;
    this.feature[id] = split.feature;
    this.threshold[id] = threshold;
    this.defaultLeft[id] = split.defaultLeft ? 1 : 0;
    this.lossChange[id] = split.lossChange;
    this.bin[id] = split.bin;
  }

  toTree(): Tree {
    return {
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      parent: Int32Array.from(this.parent),
      feature: Int32Array.from(this.feature),
      threshold: Float32Array.from(this.threshold),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      value: Float32Array.from(this.value),
      lossChange: Float64Array.from(this.lossChange),
      sumHessian: Float64Array.from(this.sumHessian),
    };
  }
}
