import { argsortFloat32 } from './float-sort';

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
const MAX_VALUE_BINS = 255;

/** Bins the training matrix: cuts from its exact quantiles, and its column-major codes. */
export function binTrainingData(X: Float64Array, nRows: number, nFeatures: number, maxBin: number): { layout: BinLayout; bins: Uint8Array } {
  const cuts: Float32Array[] = [];
  const bins = new Uint8Array(nRows * nFeatures);
  const values = new Float32Array(nRows);
  const rowOf = new Uint32Array(nRows);
  const valueBins = Math.min(maxBin, MAX_VALUE_BINS);
  for (let f = 0; f < nFeatures; f++) {
    let m = 0;
    for (let i = 0; i < nRows; i++) {
      const v = X[i * nFeatures + f];
      if (v === v) {
        values[m] = v;
        rowOf[m++] = i;
      }
    }
    const order = argsortFloat32(values.subarray(0, m));
    const sorted = new Float32Array(m);
    for (let k = 0; k < m; k++) sorted[k] = values[order[k]];
    const featureCuts = quantileCuts(sorted, valueBins);
    cuts.push(featureCuts);
    const col = f * nRows;
    bins.fill(featureCuts.length + 1, col, col + nRows);
    let c = 0;
    for (let k = 0; k < m; k++) {
      const v = sorted[k];
      while (c < featureCuts.length && featureCuts[c] <= v) c++;
      bins[col + rowOf[order[k]]] = c;
    }
  }
  return { layout: layoutOf(cuts), bins };
}

function layoutOf(cuts: Float32Array[]): BinLayout {
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
