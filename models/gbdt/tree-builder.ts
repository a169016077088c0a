import type { BinLayout } from './binning';
import { buildHistogram, HistogramPool, subtractHistogram } from './histogram';
import { findBestSplit, leafWeight, RegularizationParams, SplitCandidate } from './split-finder';
import type { Tree } from './tree';

export interface TreeParams extends RegularizationParams {
  max_depth: number;
  eta: number;
  gamma: number;
}

/** A leaf's rows: rows[start..end) of the row buffer passed to grow(), all getting `value`. */
export interface LeafSegment {
  start: number;
  end: number;
  value: number;
}

interface OpenNode {
  id: number;
  start: number;
  end: number;
  sumGrad: number;
  sumHess: number;
  hist: Float64Array;
}

/** XGBoost treats a loss change at or below this as no improvement (kRtEps). */
const MIN_LOSS_CHANGE = 1e-6;

const MAX_KEPT_HISTOGRAM_BYTES = 256 * 2 ** 20;

/** Grows trees depth-wise on binned data, partitioning a row-index buffer node by node. */
export class TreeBuilder {
  private readonly pool: HistogramPool;
  private readonly rightRows: Uint32Array;
  /** goesLeft[code] of the split being applied (codes are Uint8). */
  private readonly goesLeft = new Uint8Array(256);
  /** Leaf histograms and values of the previous tree, kept when the next root can be derived from them. */
  private previousLeaves: { hist: Float64Array; value: number }[] | null = null;

  constructor(
    private readonly layout: BinLayout,
    /** Column-major codes bins[f·nRows + row], for partitioning. */
    private readonly bins: Uint8Array,
    /** Row-major histogram slots (see toRowSlots), for histograms. */
    private readonly rowSlots: Uint16Array | Uint32Array,
    private readonly nRows: number,
    private readonly params: TreeParams,
  ) {
    this.pool = new HistogramPool(layout.totalSlots * 2);
    this.rightRows = new Uint32Array(nRows);
  }

  /**
   * Grows one tree on rows[0..count); reorders `rows` so each leaf's rows are contiguous.
   *
   * `unitHessian` (every hess[r] = 1 and grad = prediction − label, i.e. squared error) allows
   * histogram reuse across rounds when a tree sees all rows and features: the next gradients are
   * g' = g + v_leaf, so the next root histogram is Σ_leaves (ΣG_leaf + v_leaf·ΣH_leaf) per slot,
   * cheaper than a pass over all rows (the leaves' histograms cost about half a pass).
   */
  grow(
    rows: Uint32Array,
    count: number,
    grad: Float64Array,
    hess: Float64Array,
    features: Int32Array,
    unitHessian = false,
  ): { tree: Tree; leaves: LeafSegment[] } {
    const p = this.params;
    const nodes = new NodeArrays();
    const leaves: LeafSegment[] = [];
    const fullTree = unitHessian && count === this.nRows && features.length === this.layout.nFeatures;
    // Keeping one histogram per leaf must stay affordable (deep trees × many features).
    const keepLeafHists = fullTree && 2 ** p.max_depth * this.layout.totalSlots * 16 <= MAX_KEPT_HISTOGRAM_BYTES;
    const leafHists: { hist: Float64Array; value: number }[] = [];
    let sumGrad = 0;
    let sumHess = 0;
    for (let i = 0; i < count; i++) {
      sumGrad += grad[rows[i]];
      sumHess += hess[rows[i]];
    }
    const rootHist = this.pool.acquire();
    if (fullTree && this.previousLeaves) {
      for (const leaf of this.previousLeaves) {
        addShiftedHistogram(rootHist, leaf.hist, leaf.value);
        this.pool.release(leaf.hist);
      }
    } else {
      buildHistogram(rootHist, this.layout.nFeatures, this.rowSlots, rows, 0, count, grad, hess, features);
    }
    if (this.previousLeaves && !fullTree) for (const leaf of this.previousLeaves) this.pool.release(leaf.hist);
    this.previousLeaves = null;
    nodes.add(-1, p.eta * leafWeight(sumGrad, sumHess, p), sumHess);
    let level: OpenNode[] = [{ id: 0, start: 0, end: count, sumGrad, sumHess, hist: rootHist }];

    for (let depth = 0; level.length > 0; depth++) {
      const next: OpenNode[] = [];
      for (const node of level) {
        const split = depth < p.max_depth ? findBestSplit(node.hist, this.layout, features, node.sumGrad, node.sumHess, p) : null;
        if (!split || split.lossChange <= MIN_LOSS_CHANGE || split.lossChange < p.gamma) {
          leaves.push({ start: node.start, end: node.end, value: nodes.value[node.id] });
          if (keepLeafHists) leafHists.push({ hist: node.hist, value: nodes.value[node.id] });
          else this.pool.release(node.hist);
          continue;
        }
        const mid = this.partition(rows, node.start, node.end, split);
        const leftId = nodes.add(node.id, p.eta * leafWeight(split.gradLeft, split.hessLeft, p), split.hessLeft);
        const rightId = nodes.add(node.id, p.eta * leafWeight(split.gradRight, split.hessRight, p), split.hessRight);
        nodes.setSplit(node.id, split, this.layout.cuts[split.feature][split.bin], leftId, rightId);

        if (!keepLeafHists && !this.canSplit(depth + 1, split.hessLeft) && !this.canSplit(depth + 1, split.hessRight)) {
          // Both children will be leaves: their histograms would never be read.
          this.pool.release(node.hist);
          leaves.push({ start: node.start, end: mid, value: nodes.value[leftId] });
          leaves.push({ start: mid, end: node.end, value: nodes.value[rightId] });
          continue;
        }
        const leftSmaller = mid - node.start <= node.end - mid;
        const small = this.pool.acquire();
        if (leftSmaller) buildHistogram(small, this.layout.nFeatures, this.rowSlots, rows, node.start, mid, grad, hess, features);
        else buildHistogram(small, this.layout.nFeatures, this.rowSlots, rows, mid, node.end, grad, hess, features);
        subtractHistogram(node.hist, small, this.layout, features);
        const leftHist = leftSmaller ? small : node.hist;
        const rightHist = leftSmaller ? node.hist : small;
        next.push({ id: leftId, start: node.start, end: mid, sumGrad: split.gradLeft, sumHess: split.hessLeft, hist: leftHist });
        next.push({ id: rightId, start: mid, end: node.end, sumGrad: split.gradRight, sumHess: split.hessRight, hist: rightHist });
      }
      level = next;
    }
    if (keepLeafHists) this.previousLeaves = leafHists;
    return { tree: nodes.toTree(), leaves };
  }

  /** Whether a node at `depth` with hessian sum `hess` could still be split. */
  private canSplit(depth: number, hess: number): boolean {
    return depth < this.params.max_depth && hess >= 2 * this.params.min_child_weight;
  }

  /**
   * Stable partition of rows[start..end): rows going left first. Returns the boundary.
   * Branch-free: each row is written to both sides and only one cursor advances (a node's rows
   * go left or right at random, so a branch would be mispredicted half the time).
   */
  private partition(rows: Uint32Array, start: number, end: number, split: SplitCandidate): number {
    const col = split.feature * this.nRows;
    const goesLeft = this.goesLeft;
    goesLeft.fill(0);
    goesLeft.fill(1, 0, split.bin + 1);
    if (split.defaultLeft) goesLeft[this.layout.nBins[split.feature]] = 1;
    const bins = this.bins;
    const right = this.rightRows;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const left = goesLeft[bins[col + row]];
      rows[l] = row;
      right[r] = row;
      l += left;
      r += 1 - left;
    }
    rows.set(right.subarray(0, r), l);
    return l;
  }
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

  add(parent: number, value: number, sumHessian: number): number {
    this.left.push(-1);
    this.right.push(-1);
    this.parent.push(parent);
    this.feature.push(0);
    this.threshold.push(0);
    this.defaultLeft.push(0);
    this.value.push(Math.fround(value));
    this.lossChange.push(0);
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

/** root[G] += leaf[G] + v·leaf[H]; root[H] += leaf[H], over all slots (interleaved G, H). */
function addShiftedHistogram(root: Float64Array, leaf: Float64Array, v: number): void {
  for (let i = 0; i < root.length; i += 2) {
    const h = leaf[i + 1];
    root[i] += leaf[i] + v * h;
    root[i + 1] += h;
  }
}
