import type { SlotLayout } from './split-finder';

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

/**
 * Adds rows[start..end) to `hist` for the given features, from row-major slot codes
 * (rowSlots[row·nFeatures + f] = offsets[f] + bin): a row's codes share a cache line, which
 * matters once a node's rows are scattered (column-major reads would touch one line per feature).
 */
export function buildHistogram(
  hist: Float64Array,
  nFeatures: number,
  rowSlots: Uint16Array | Uint32Array,
  rows: Uint32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  features: Int32Array,
): void {
  const nActive = features.length;
  // An Int32 view of the row buffer: V8 keeps Int32 elements in integer registers (see partitionRange).
  const src = new Int32Array(rows.buffer, rows.byteOffset, rows.length);
  if (nActive === nFeatures) {
    for (let i = start; i < end; i++) {
      const r = src[i];
      const g = grad[r];
      const h = hess[r];
      const base = r * nFeatures;
      const stop = base + nFeatures;
      let j = base;
      // Four features per step: their slots never collide, so the adds can overlap, and V8's loop
      // overhead is paid once per four.
      for (; j + 3 < stop; j += 4) {
        const s0 = rowSlots[j] << 1;
        const s1 = rowSlots[j + 1] << 1;
        const s2 = rowSlots[j + 2] << 1;
        const s3 = rowSlots[j + 3] << 1;
        hist[s0] += g;
        hist[s1] += g;
        hist[s2] += g;
        hist[s3] += g;
        hist[s0 + 1] += h;
        hist[s1 + 1] += h;
        hist[s2 + 1] += h;
        hist[s3 + 1] += h;
      }
      for (; j < stop; j++) {
        const s0 = rowSlots[j] << 1;
        hist[s0] += g;
        hist[s0 + 1] += h;
      }
    }
    return;
  }
  for (let i = start; i < end; i++) {
    const r = src[i];
    const g = grad[r];
    const h = hess[r];
    const base = r * nFeatures;
    for (let k = 0; k < nActive; k++) {
      const slot = rowSlots[base + features[k]] << 1;
      hist[slot] += g;
      hist[slot + 1] += h;
    }
  }
}

/** parent −= child over the features' slots: the parent's histogram becomes the sibling's. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, layout: SlotLayout, features: Int32Array): void {
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const from = layout.offsets[f] << 1;
    const to = (layout.offsets[f] + layout.nBins[f] + 1) << 1;
    // Unrolled by 4 (≈ 0.5× the time of the rolled loop in V8); from and to are even.
    let i = from;
    for (; i + 3 < to; i += 4) {
      parent[i] -= child[i];
      parent[i + 1] -= child[i + 1];
      parent[i + 2] -= child[i + 2];
      parent[i + 3] -= child[i + 3];
    }
    for (; i < to; i++) parent[i] -= child[i];
  }
}

/** Squared-error gradients of rows from..to (grad = pred − y); [Σ grad², Σ grad] into `out`. */
export function gradientPass(pred: Float64Array, y: Float64Array, grad: Float64Array, from: number, to: number, out: Float64Array): void {
  let sse = 0;
  let sum = 0;
  let i = from;
  // Unrolled by 4; the sums still add the rows in order, so they are the same as a plain loop's.
  for (; i + 3 < to; i += 4) {
    const g0 = pred[i] - y[i];
    const g1 = pred[i + 1] - y[i + 1];
    const g2 = pred[i + 2] - y[i + 2];
    const g3 = pred[i + 3] - y[i + 3];
    grad[i] = g0;
    grad[i + 1] = g1;
    grad[i + 2] = g2;
    grad[i + 3] = g3;
    sse += g0 * g0;
    sse += g1 * g1;
    sse += g2 * g2;
    sse += g3 * g3;
    sum += g0;
    sum += g1;
    sum += g2;
    sum += g3;
  }
  for (; i < to; i++) {
    const g = pred[i] - y[i];
    grad[i] = g;
    sse += g * g;
    sum += g;
  }
  out[0] = sse;
  out[1] = sum;
}

/** root[G] += leaf[G] + v·leaf[H]; root[H] += leaf[H], over entries from..to (interleaved G, H; from even). */
export function addShiftedHistogram(root: Float64Array, leaf: Float64Array, v: number, from: number, to: number): void {
  for (let i = from; i < to; i += 2) {
    const h = leaf[i + 1];
    root[i] += leaf[i] + v * h;
    root[i + 1] += h;
  }
}
