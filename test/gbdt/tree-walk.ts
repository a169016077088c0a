// The plain tree walk, one row at a time: the reference the tests hold the product's walks to
// (addTreeOutputs on float32 values, addTreeOutputsByBins on bin codes).
import type { Tree } from '../../models/gbdt/tree';

export function treeOutput(tree: Tree, X32: Float32Array, row: number, nFeatures: number): number {
  const { left, right, feature, threshold, defaultLeft } = tree;
  const base = row * nFeatures;
  let node = 0;
  while (left[node] !== -1) {
    const x = X32[base + feature[node]];
    if (x !== x) node = defaultLeft[node] ? left[node] : right[node];
    else node = x < threshold[node] ? left[node] : right[node];
  }
  return tree.value[node];
}
