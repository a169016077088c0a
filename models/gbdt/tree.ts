/**
 * One regression tree in XGBoost's node layout: node 0 is the root, leaves have left = right = −1,
 * an internal node sends x to `left` iff fround(x) < threshold, and NaN to `defaultLeft`.
 * `value` is the eta-scaled node weight (float32); at a leaf it is the tree's output.
 */
export interface Tree {
  left: Int32Array;
  right: Int32Array;
  parent: Int32Array;
  feature: Int32Array;
  threshold: Float32Array;
  defaultLeft: Uint8Array;
  value: Float32Array;
  /** XGBoost's loss_chg of the split (0 at leaves). */
  lossChange: Float64Array;
  sumHessian: Float64Array;
}

/**
 * out[i] += the tree's output for row i, for rows 0..n of a row-major matrix already rounded to
 * float32 (Float32Array.from(X) rounds like XGBoost's float32 DMatrix, so the comparisons are
 * XGBoost's float32 ones); the sum is rounded to float32 after each add unless `float32` is false.
 * One loop over the rows: a call per row and tree costs more than the walk.
 */
export function addTreeOutputs(tree: Tree, X32: Float32Array, n: number, nFeatures: number, out: Float64Array, float32 = true): void {
  const { left, right, feature, threshold, defaultLeft, value } = tree;
  for (let i = 0; i < n; i++) {
    const base = i * nFeatures;
    let node = 0;
    for (let l = left[node]; l !== -1; l = left[node]) {
      const x = X32[base + feature[node]];
      if (x < threshold[node]) node = l;
      else if (x !== x && defaultLeft[node] !== 0) node = l;
      else node = right[node];
    }
    out[i] = float32 ? Math.fround(out[i] + value[node]) : out[i] + value[node];
  }
}

export function treeDepth(tree: Tree): number {
  const depth = new Int32Array(tree.left.length);
  let max = 0;
  for (let i = 1; i < depth.length; i++) {
    // Parents always precede their children in XGBoost's numbering.
    depth[i] = depth[tree.parent[i]] + 1;
    if (depth[i] > max) max = depth[i];
  }
  return max;
}

export function leafIndices(tree: Tree): number[] {
  const out: number[] = [];
  for (let i = 0; i < tree.left.length; i++) if (tree.left[i] === -1) out.push(i);
  return out;
}
