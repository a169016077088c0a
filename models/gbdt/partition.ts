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
  goesLeft: Uint8Array,
  join: boolean,
): number {
  goesLeft.fill(0);
  goesLeft.fill(1, 0, bin + 1);
  if (defaultLeft) goesLeft[missing] = 1;
  const col = feature * nRows;
  let l = from;
  let r = from;
  for (let i = from; i < to; i++) {
    const row = rows[i];
    const left = goesLeft[bins[col + row]];
    rows[l] = row;
    right[r] = row;
    l += left;
    r += 1 - left;
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
