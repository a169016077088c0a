import type { BinLayout } from './binning';
import { subtractHistogram } from './histogram';

/** What a histogram's slots look like: all the split search and subtraction read of a layout. */
export type SlotLayout = Pick<BinLayout, 'offsets' | 'nBins'>;

export interface RegularizationParams {
  lambda: number;
  alpha: number;
  min_child_weight: number;
}

export interface SplitCandidate {
  /**
   * XGBoost's loss_chg: T(G_L)²/(H_L+λ) + T(G_R)²/(H_R+λ) − T(G)²/(H+λ), T = L1 soft-threshold.
   * This is twice the paper's ½[…] bracket; XGBoost compares it with gamma directly (verified
   * against xgboost 3.2: a stump is kept iff loss_chg ≥ gamma), and so do we.
   */
  lossChange: number;
  feature: number;
  /** Bins 0..bin go left. */
  bin: number;
  defaultLeft: boolean;
  gradLeft: number;
  hessLeft: number;
  gradRight: number;
  hessRight: number;
}

export function thresholdL1(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

/** Unscaled leaf weight −T(G)/(H+λ); 0 when H < min_child_weight, as in XGBoost's CalcWeight. */
export function leafWeight(g: number, h: number, p: RegularizationParams): number {
  if (h < p.min_child_weight || h <= 0) return 0;
  return -thresholdL1(g, p.alpha) / (h + p.lambda);
}

export function nodeGain(g: number, h: number, p: RegularizationParams): number {
  if (h < p.min_child_weight || h <= 0) return 0;
  const t = thresholdL1(g, p.alpha);
  return (t * t) / (h + p.lambda);
}

/**
 * Best split of a node over `features`, scanning bin boundaries left to right; missing values are
 * tried on both sides (the learned default direction). Returns null if no split satisfies
 * min_child_weight with positive gain.
 */
export function findBestSplit(
  hist: Float64Array,
  layout: SlotLayout,
  features: Int32Array,
  sumGrad: number,
  sumHess: number,
  p: RegularizationParams,
): SplitCandidate | null {
  const parentGain = nodeGain(sumGrad, sumHess, p);
  const mcw = p.min_child_weight;
  const lambda = p.lambda;
  const alpha = p.alpha;
  // The best so far lives in locals; one candidate object is made at the end.
  let bestGain = 0;
  let bestFeature = -1;
  let bestBin = 0;
  let bestDefaultLeft = false;
  let bestGL = 0;
  let bestHL = 0;
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const off = layout.offsets[f];
    const nb = layout.nBins[f];
    const missSlot = (off + nb) << 1;
    const gm = hist[missSlot];
    const hm = hist[missSlot + 1];
    const hasMissing = hm > 0;
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < nb - 1; b++) {
      const slot = (off + b) << 1;
      gl += hist[slot];
      hl += hist[slot + 1];
      // Missing goes right.
      {
        const hr = sumHess - hl;
        if (hl >= mcw && hr >= mcw && hl > 0 && hr > 0) {
          const gr = sumGrad - gl;
          const tl = alpha === 0 ? gl : thresholdL1(gl, alpha);
          const tr = alpha === 0 ? gr : thresholdL1(gr, alpha);
          const gain = (tl * tl) / (hl + lambda) + (tr * tr) / (hr + lambda) - parentGain;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestBin = b;
            bestDefaultLeft = false;
            bestGL = gl;
            bestHL = hl;
          }
        }
      }
      if (hasMissing) {
        const gl2 = gl + gm;
        const hl2 = hl + hm;
        const hr = sumHess - hl2;
        if (hl2 >= mcw && hr >= mcw && hr > 0) {
          const gr = sumGrad - gl2;
          const tl = alpha === 0 ? gl2 : thresholdL1(gl2, alpha);
          const tr = alpha === 0 ? gr : thresholdL1(gr, alpha);
          const gain = (tl * tl) / (hl2 + lambda) + (tr * tr) / (hr + lambda) - parentGain;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestBin = b;
            bestDefaultLeft = true;
            bestGL = gl2;
            bestHL = hl2;
          }
        }
      }
    }
  }
  if (bestFeature < 0) return null;
  return {
    lossChange: bestGain,
    feature: bestFeature,
    bin: bestBin,
    defaultLeft: bestDefaultLeft,
    gradLeft: bestGL,
    hessLeft: bestHL,
    gradRight: sumGrad - bestGL,
    hessRight: sumHess - bestHL,
  };
}

/**
 * One node of a batch of split searches: its histogram is made by hist −= `subtract` first when
 * given (the sibling of a built child: parent − child), then searched when `search` is set.
 */
export interface SplitTask {
  hist: Float64Array;
  subtract: Float64Array | null;
  search: boolean;
  sumGrad: number;
  sumHess: number;
}

/** Runs one task; the best split, or null when not searched or none qualifies. */
export function runSplitTask(task: SplitTask, layout: SlotLayout, features: Int32Array, p: RegularizationParams): SplitCandidate | null {
  if (task.subtract) subtractHistogram(task.hist, task.subtract, layout, features);
  return task.search ? findBestSplit(task.hist, layout, features, task.sumGrad, task.sumHess, p) : null;
}
