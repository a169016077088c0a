// ATR(p): Wilder-smoothed true range, defined from index p (the first true range needs the
// previous close): the mean of true ranges 1..p, then (tr − prev)/p + prev — technicalindicators'
// exact arithmetic (the oracle test compares bit for bit), in one pass.
import { nanPrefix } from './nan-prefix';

export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period: number, out: Float64Array): void {
  const n = close.length;
  nanPrefix(out, period);
  if (n <= period) return;
  const k = 1 / period;
  let sum = 0;
  for (let i = 1; i <= period; i++) sum += trueRange(high[i], low[i], close[i - 1]);
  let prev = sum / period;
  out[period] = prev;
  let pc = close[period]; // the previous close
  for (let i = period + 1; i < n; i++) {
    const h = high[i];
    const l = low[i];
    // The previous close nearly always lies within the bar (1m bars open at it), and then the
    // true range is h − l exactly (|h − pc| and |l − pc| cannot exceed it): a branch the CPU
    // predicts, where the three-way max compares |h − pc| with |l − pc| at random.
    const tr = pc <= h && pc >= l ? h - l : trueRange(h, l, pc);
    prev = (tr - prev) * k + prev;
    out[i] = prev;
    pc = close[i];
  }
}

function trueRange(h: number, l: number, prevClose: number): number {
  return Math.max(h - l, Math.abs(h - prevClose), Math.abs(l - prevClose));
}
