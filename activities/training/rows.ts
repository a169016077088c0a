// Row selection on the row-major feature matrix.
export function takeRows(X: Float64Array, nFeatures: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * nFeatures);
  for (let k = 0; k < rows.length; k++) out.set(X.subarray(rows[k] * nFeatures, (rows[k] + 1) * nFeatures), k * nFeatures);
  return out;
}

export function take(v: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = v[rows[k]];
  return out;
}
