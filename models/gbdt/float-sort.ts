// A radix sort of the sortable uint32 keys of float32 values (binning.ts makes the keys).

/** LSD radix sort of keys in place (3 passes of 11 bits); `tmp` is scratch of the same length. */
export function radixSortKeys(keys: Uint32Array, tmp: Uint32Array): void {
  const m = keys.length;
  const counts = new Uint32Array(2048);
  let a = keys;
  let b = tmp;
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < m; i++) counts[(a[i] >>> shift) & 2047]++;
    let sum = 0;
    for (let k = 0; k < 2048; k++) {
      const c = counts[k];
      counts[k] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const k = a[i];
      b[counts[(k >>> shift) & 2047]++] = k;
    }
    [a, b] = [b, a];
  }
  // Three passes: the result is in tmp.
  keys.set(a);
}
