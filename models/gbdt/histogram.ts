import type { BinLayout } from './binning';

/**
 * Gradient histograms: for each feature slot, the sums of g and h of the node's rows
 * (interleaved: hist[2·slot] = ΣG, hist[2·slot + 1] = ΣH).
 */
export class HistogramPool {
  private free: Float64Array[] = [];
  constructor(private readonly size: number) {}

  acquire(): Float64Array {
    const h = this.free.pop();
    if (h) {
      h.fill(0);
      return h;
    }
    return new Float64Array(this.size);
  }

  release(h: Float64Array): void {
    this.free.push(h);
  }
}

export interface GradientScratch {
  g: Float64Array;
  h: Float64Array;
}

/**
 * Adds rows[start..end) to `hist` for the given features. The node's gradients are first gathered
 * into contiguous scratch so the per-feature loops only do one random read (the bin).
 */
export function buildHistogram(
  hist: Float64Array,
  layout: BinLayout,
  bins: Uint8Array,
  nRows: number,
  rows: Uint32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  features: Int32Array,
  scratch: GradientScratch,
): void {
  const sg = scratch.g;
  const sh = scratch.h;
  const count = end - start;
  for (let i = 0; i < count; i++) {
    const r = rows[start + i];
    sg[i] = grad[r];
    sh[i] = hess[r];
  }
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const colBase = f * nRows;
    const off = layout.offsets[f];
    for (let i = 0; i < count; i++) {
      const slot = (off + bins[colBase + rows[start + i]]) << 1;
      hist[slot] += sg[i];
      hist[slot + 1] += sh[i];
    }
  }
}

/** parent −= child over the features' slots: the parent's histogram becomes the sibling's. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, layout: BinLayout, features: Int32Array): void {
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const from = layout.offsets[f] << 1;
    const to = (layout.offsets[f] + layout.nBins[f] + 1) << 1;
    for (let i = from; i < to; i++) parent[i] -= child[i];
  }
}
