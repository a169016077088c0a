/**
 * LSD radix argsort of float32 values (no NaN): ~10× faster than TypedArray#sort on 10⁵–10⁶ values,
 * and it gives the permutation, which binning needs to assign codes in one linear pass.
 */
export function argsortFloat32(values: Float32Array): Uint32Array {
  const m = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, m);
  let keys = new Uint32Array(m);
  let order = new Uint32Array(m);
  let keys2 = new Uint32Array(m);
  let order2 = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    const b = bits[i];
    // Order-preserving map of IEEE-754 bits to unsigned ints: flip all bits of negatives, the sign of positives.
    keys[i] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    order[i] = i;
  }
  const counts = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < m; i++) counts[(keys[i] >>> shift) & 2047]++;
    let sum = 0;
    for (let b = 0; b < 2048; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const k = keys[i];
      const pos = counts[(k >>> shift) & 2047]++;
      keys2[pos] = k;
      order2[pos] = order[i];
    }
    [keys, keys2] = [keys2, keys];
    [order, order2] = [order2, order];
  }
  return order;
}
