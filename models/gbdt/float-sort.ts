// Float32 values as sortable uint32 keys, and a radix sort of those keys (binning.ts).

/** Order-preserving map of float32 bits to unsigned ints (−0 as +0, so equal values get equal keys). */
export function floatKey(bits: number): number {
  if (bits === 0x80000000) return 0x80000000;
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

/** The float32 bits of a key made by floatKey. */
export function keyBits(key: number): number {
  return key & 0x80000000 ? (key & 0x7fffffff) >>> 0 : ~key >>> 0;
}

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
