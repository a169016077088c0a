// How well forecast sizes match realised outcomes, for live (shadow) scoring: the OLS line of
// realised on predicted (slope 1, intercept 0 is perfectly calibrated; slope 0 means the sizes
// carry no information) and quantile bins of the forecasts with their mean outcome.
import { mean } from './metrics';

export interface CalibrationBin {
  n: number;
  predicted: number;
  realised: number;
}

export interface Calibration {
  /** Realised ≈ intercept + slope · predicted (least squares); slope 0 for a constant forecast. */
  slope: number;
  intercept: number;
  meanPredicted: number;
  meanRealised: number;
  /** Up to `bins` groups of equal size, ordered by forecast. */
  bins: CalibrationBin[];
}

export function calibration(predicted: ArrayLike<number>, realised: ArrayLike<number>, bins = 5): Calibration {
  const n = predicted.length;
  if (n === 0) throw new Error('calibration of an empty sample');
  if (realised.length !== n) throw new Error(`calibration: ${n} forecasts vs ${realised.length} outcomes`);
  const mp = mean(predicted);
  const mr = mean(realised);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (predicted[i] - mp) * (realised[i] - mr);
    sxx += (predicted[i] - mp) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => predicted[a] - predicted[b] || a - b);
  const k = Math.max(1, Math.min(bins, n));
  const out: CalibrationBin[] = [];
  for (let b = 0; b < k; b++) {
    const idx = order.slice(Math.floor((b * n) / k), Math.floor(((b + 1) * n) / k));
    if (idx.length === 0) continue;
    out.push({ n: idx.length, predicted: mean(idx.map((i) => predicted[i])), realised: mean(idx.map((i) => realised[i])) });
  }
  return { slope, intercept: mr - slope * mp, meanPredicted: mp, meanRealised: mr, bins: out };
}
