import type { Tree } from './tree';

// Stable partition of a node's rows by a split, the other half of growing a tree besides
// histograms (see tree-builder.ts).

/** One node to partition: rows[start..end) by `feature`, bins 0..bin (and missing if defaultLeft) left. */
export interface PartitionJob {
  start: number;
  end: number;
  feature: number;
  bin: number;
  defaultLeft: boolean;
  /** The feature's missing-value code. */
  missing: number;
  /** Set by the partitioner: rows[start..mid) go left, rows[mid..end) right. */
  mid: number;
}

/**
 * Moves the left-going rows of rows[from..to) to rows[from..from+l) in order, and the right-going
 * ones to right[from..from+r) (the caller's scratch, same positions); returns l. With `join`, the
 * right-going rows are copied back after the left ones, so rows[from..to) ends partitioned.
 * Branch-free: each row is written to both sides and only one cursor advances (a node's rows go
 * left or right at random, so a branch would be mispredicted half the time).
 */
export function partitionRange(
  rows: Uint32Array,
  right: Uint32Array,
  bins: Uint8Array,
  nRows: number,
  from: number,
  to: number,
  feature: number,
  bin: number,
  defaultLeft: boolean,
  missing: number,
  join: boolean,
): number {
  // Int32 views of the row buffers: V8 keeps Int32 elements in integer registers, Uint32 ones may
  // go through doubles (row indices are < 2^31).
  const src = new Int32Array(rows.buffer, rows.byteOffset, rows.length);
  const dst = new Int32Array(right.buffer, right.byteOffset, right.length);
  const codes = bins.subarray(feature * nRows, (feature + 1) * nRows);
  // goesRight(code) = code > bin and (not defaultLeft or code ≠ missing), as sign bits (codes < 256).
  const limit = defaultLeft ? missing : 256;
  let l = from;
  let r = from;
  let i = from;
  // Unrolled by 8: V8's per-iteration loop overhead is a large part of a step this small
  // (≈ 0.55× the time of the rolled loop, measured on the bench data).
  for (; i + 7 < to; i += 8) {
    const r0 = src[i];
    const r1 = src[i + 1];
    const r2 = src[i + 2];
    const r3 = src[i + 3];
    const r4 = src[i + 4];
    const r5 = src[i + 5];
    const r6 = src[i + 6];
    const r7 = src[i + 7];
    const c0 = codes[r0];
    const c1 = codes[r1];
    const c2 = codes[r2];
    const c3 = codes[r3];
    const c4 = codes[r4];
    const c5 = codes[r5];
    const c6 = codes[r6];
    const c7 = codes[r7];
    const t0 = ((bin - c0) >>> 31) & ((c0 - limit) >>> 31);
    const t1 = ((bin - c1) >>> 31) & ((c1 - limit) >>> 31);
    const t2 = ((bin - c2) >>> 31) & ((c2 - limit) >>> 31);
    const t3 = ((bin - c3) >>> 31) & ((c3 - limit) >>> 31);
    const t4 = ((bin - c4) >>> 31) & ((c4 - limit) >>> 31);
    const t5 = ((bin - c5) >>> 31) & ((c5 - limit) >>> 31);
    const t6 = ((bin - c6) >>> 31) & ((c6 - limit) >>> 31);
    const t7 = ((bin - c7) >>> 31) & ((c7 - limit) >>> 31);
    // Writes go to positions ≤ i (left) or to the scratch, so the reads above are never overwritten first.
    src[l] = r0;
    dst[r] = r0;
    l += 1 - t0;
    r += t0;
    src[l] = r1;
    dst[r] = r1;
    l += 1 - t1;
    r += t1;
    src[l] = r2;
    dst[r] = r2;
    l += 1 - t2;
    r += t2;
    src[l] = r3;
    dst[r] = r3;
    l += 1 - t3;
    r += t3;
    src[l] = r4;
    dst[r] = r4;
    l += 1 - t4;
    r += t4;
    src[l] = r5;
    dst[r] = r5;
    l += 1 - t5;
    r += t5;
    src[l] = r6;
    dst[r] = r6;
    l += 1 - t6;
    r += t6;
    src[l] = r7;
    dst[r] = r7;
    l += 1 - t7;
    r += t7;
  }
  for (; i < to; i++) {
    const row = src[i];
    const code = codes[row];
    const t = ((bin - code) >>> 31) & ((code - limit) >>> 31);
    src[l] = row;
    dst[r] = row;
    l += 1 - t;
    r += t;
  }
  if (join) rows.set(right.subarray(from, r), l);
  return l - from;
}

/**
 * A split whose two children are leaves: its rows, rows[start..end), are left unpartitioned, and
 * each row's leaf is found from its bin when predictions are updated.
 */
export interface LeafPair {
  start: number;
  end: number;
  feature: number;
  bin: number;
  defaultLeft: boolean;
  missing: number;
  /** The leaves' outputs. */
  left: number;
  right: number;
}

/** pred[row] += the output of the pair's leaf that row falls in, for rows[from..to). */
export function addPairOutputs(pred: Float64Array, rows: Uint32Array, bins: Uint8Array, nRows: number, pair: LeafPair, from: number, to: number, outputs: Float64Array): void {
  // outputs[1] = left, outputs[0] = right, picked without a branch (rows go either way at random).
  outputs[0] = pair.right;
  outputs[1] = pair.left;
  const col = pair.feature * nRows;
  const bin = pair.bin;
  // Right iff bin < code and (not defaultLeft or code ≠ missing); codes are < 256.
  const limit = pair.defaultLeft ? pair.missing : 256;
  for (let i = from; i < to; i++) {
    const row = rows[i];
    const code = bins[col + row];
    const right = ((bin - code) >>> 31) & ((code - limit) >>> 31);
    pred[row] += outputs[1 - right];
  }
}

/** pred[row] += v for the rows of a leaf, rows[from..to) (unrolled by 4 over an Int32 view, as partitionRange). */
export function addLeafOutput(pred: Float64Array, rows: Uint32Array, from: number, to: number, v: number): void {
  const src = new Int32Array(rows.buffer, rows.byteOffset, rows.length);
  let i = from;
  for (; i + 3 < to; i += 4) {
    const r0 = src[i];
    const r1 = src[i + 1];
    const r2 = src[i + 2];
    const r3 = src[i + 3];
    pred[r0] += v;
    pred[r1] += v;
    pred[r2] += v;
    pred[r3] += v;
  }
  for (; i < to; i++) pred[src[i]] += v;
}

/**
 * pred[row] += the output of the leaf that each of rows[0..count) reaches in `tree`, found from its
 * bin codes: bins 0..splitBins[node] and (by the default direction) the missing code go left. That
 * is the leaf addTreeOutputs finds from fround(x), as bin(x) ≤ b ⇔ fround(x) < cut b. Branch-free per
 * level (rows go either way at random); for rows without a leaf segment, e.g. outside a subsample.
 */
export function addTreeOutputsByBins(
  pred: Float64Array,
  rows: Int32Array,
  count: number,
  bins: Uint8Array,
  nRows: number,
  tree: Tree,
  splitBins: Int32Array,
  missingCodes: Int32Array,
): void {
  const { left, right, feature, defaultLeft, value } = tree;
  for (let k = 0; k < count; k++) {
    const row = rows[k];
    let node = 0;
    for (let l = left[node]; l !== -1; l = left[node]) {
      const f = feature[node];
      const code = bins[f * nRows + row];
      const limit = defaultLeft[node] ? missingCodes[f] : 256;
      const goesRight = ((splitBins[node] - code) >>> 31) & ((code - limit) >>> 31);
      node = l + goesRight * (right[node] - l);
    }
    pred[row] += value[node];
  }
}
