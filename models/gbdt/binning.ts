import { radixSortKeys } from './float-sort';

/**
 * Quantile bins per feature, computed once from the training data.
 *
 * A feature's cuts c_0 < c_1 < … are float32 values; bin(x) = number of cuts ≤ fround(x), so a
 * split "bins 0..b go left" is exactly XGBoost's test `x < c_b` in float32. Missing values (NaN)
 * get their own code, nBins[f], one past the last value bin.
 */
export interface BinLayout {
  nFeatures: number;
  /** Cut values per feature, strictly ascending float32 values. */
  cuts: Float32Array[];
  /** Number of value bins of feature f = cuts[f].length + 1. */
  nBins: Int32Array;
  /** Offset of feature f's slots in a histogram; feature f owns nBins[f] + 1 slots (last = missing). */
  offsets: Int32Array;
  /** Total number of histogram slots. */
  totalSlots: number;
}

/** Uint8 codes: 255 value bins at most, code nBins (≤ 255) for missing. */
export const MAX_VALUE_BINS = 255;

/** A row's key when its value is missing (above the key of +Infinity, 0xff800000). */
const MISSING_KEY = 0xffffffff;

// Called per value: kept in this module, as a call into another module goes through the export's
// getter when run under tsx (CommonJS output), which V8 does not always inline.
/** Order-preserving map of float32 bits to unsigned ints (−0 as +0, so equal values get equal keys). */
function floatKey(bits: number): number {
  if (bits === 0x80000000) return 0x80000000;
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

/** The float32 bits of a key made by floatKey. */
function keyBits(key: number): number {
  return key & 0x80000000 ? (key & 0x7fffffff) >>> 0 : ~key >>> 0;
}

/**
 * Bins the training matrix: cuts from its exact quantiles, and its column-major codes. Values are
 * compared as order-preserving uint32 keys of their float32 bits: sorted by a radix sort, and
 * each row's code (the number of cuts ≤ its value) found from a table over the top 16 key bits,
 * which leaves at most a few cuts to step over.
 */
export function binTrainingData(X: Float64Array, nRows: number, nFeatures: number, maxBin: number): { layout: BinLayout; bins: Uint8Array } {
  const bins = new Uint8Array(nRows * nFeatures);
  const cuts = binFeatures(X, nRows, nFeatures, maxBin, 0, nFeatures, bins);
  return { layout: layoutOf(cuts), bins };
}

/**
 * Bins features from..to of X (row-major float64 or float32 values, NaN missing) into their
 * columns of `bins` (column-major, nRows × nFeatures); returns their cuts. Features are binned
 * independently, so threads can share them out (parallel/parallel-binning.ts).
 */
export function binFeatures(
  X: Float64Array | Float32Array,
  nRows: number,
  nFeatures: number,
  maxBin: number,
  from: number,
  to: number,
  bins: Uint8Array,
): Float32Array[] {
  const cuts: Float32Array[] = [];
  const keys = new Uint32Array(nRows);
  const tmp = new Uint32Array(nRows);
  const sortedBits = new Uint32Array(nRows);
  const sortedValues = new Float32Array(sortedBits.buffer);
  const one = new Float32Array(1);
  const oneBits = new Uint32Array(one.buffer);
  const below = new Uint16Array(65536);
  const valueBins = Math.min(maxBin, MAX_VALUE_BINS);
  const width = to - from;
  // Every value's key, column-major, in one pass over X (a strided pass per feature costs more).
  const allKeys = new Uint32Array(nRows * width);
  for (let i = 0; i < nRows; i++) {
    for (let f = from, j = i * nFeatures + from, k = i; f < to; f++, j++, k += nRows) {
      const v = X[j];
      if (v === v) {
        one[0] = v;
        allKeys[k] = floatKey(oneBits[0]);
      } else allKeys[k] = MISSING_KEY;
    }
  }
  for (let f = from; f < to; f++) {
    const rowKeys = allKeys.subarray((f - from) * nRows, (f - from + 1) * nRows);
    let m = 0;
    for (let i = 0; i < nRows; i++) {
      const k = rowKeys[i];
      if (k !== MISSING_KEY) keys[m++] = k;
    }
    radixSortKeys(keys.subarray(0, m), tmp.subarray(0, m));
    for (let k = 0; k < m; k++) sortedBits[k] = keyBits(keys[k]);
    const featureCuts = quantileCuts(sortedValues.subarray(0, m), valueBins);
    cuts.push(featureCuts);
    const nc = featureCuts.length;
    const cutKeys = new Uint32Array(nc);
    for (let c = 0; c < nc; c++) {
      one[0] = featureCuts[c];
      cutKeys[c] = floatKey(oneBits[0]);
    }
    // below[p] = number of cuts whose key's top 16 bits are < p.
    for (let p = 0, c = 0; p < 65536; p++) {
      while (c < nc && cutKeys[c] >>> 16 < p) c++;
      below[p] = c;
    }
    const col = f * nRows;
    for (let i = 0; i < nRows; i++) {
      const k = rowKeys[i];
      if (k === MISSING_KEY) {
        bins[col + i] = nc + 1;
        continue;
      }
      let c = below[k >>> 16];
      while (c < nc && cutKeys[c] <= k) c++;
      bins[col + i] = c;
    }
  }
  return cuts;
}

/** The layout of features with these cuts. */
export function layoutOf(cuts: Float32Array[]): BinLayout {
  const nFeatures = cuts.length;
  const nBins = new Int32Array(nFeatures);
  const offsets = new Int32Array(nFeatures);
  let total = 0;
  for (let f = 0; f < nFeatures; f++) {
    nBins[f] = cuts[f].length + 1;
    offsets[f] = total;
    total += nBins[f] + 1;
  }
  return { nFeatures, cuts, nBins, offsets, totalSlots: total };
}

/** At most maxBin − 1 cuts (⇒ ≤ maxBin value bins) at exact quantiles of the sorted non-missing values. */
function quantileCuts(sorted: Float32Array, maxBin: number): Float32Array {
  const m = sorted.length;
  if (m === 0) return new Float32Array(0);
  let distinct = 1;
  for (let i = 1; i < m && distinct <= maxBin; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  const cuts: number[] = [];
  if (distinct <= maxBin) {
    // Every distinct value gets its own bin: cut at each value above the minimum.
    for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) cuts.push(sorted[i]);
  } else {
    const min = sorted[0];
    for (let k = 1; k < maxBin; k++) {
      const v = sorted[Math.floor((k * m) / maxBin)];
      if (v > min && (cuts.length === 0 || v > cuts[cuts.length - 1])) cuts.push(v);
    }
  }
  return Float32Array.from(cuts);
}

/**
 * Row-major histogram slots: out[i·nFeatures + f] = offsets[f] + bin. Uint16 while the histogram
 * has < 65536 slots (up to ~250 features), else Uint32.
 */
export function toRowSlots(bins: Uint8Array, nRows: number, layout: BinLayout): Uint16Array | Uint32Array {
  const nFeatures = layout.nFeatures;
  const out = layout.totalSlots < 65536 ? new Uint16Array(bins.length) : new Uint32Array(bins.length);
  for (let f = 0; f < nFeatures; f++) {
    const base = f * nRows;
    const off = layout.offsets[f];
    for (let i = 0; i < nRows; i++) out[i * nFeatures + f] = off + bins[base + i];
  }
  return out;
}
