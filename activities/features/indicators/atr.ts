// ATR(p): Wilder-smoothed true range, defined from index p (the first true range needs the
// previous close). Same arithmetic as technicalindicators' ATR.
import { wilder } from './ema';

export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period: number, out: Float64Array, scratch = new Float64Array(close.length)): void {
  const n = close.length;
  if (n <= period) return;
  const tr = scratch.subarray(0, n);
  tr[0] = 0;
  for (let i = 1; i < n; i++) {
    const pc = close[i - 1];
    tr[i] = Math.max(high[i] - low[i], Math.abs(high[i] - pc), Math.abs(low[i] - pc));
  }
  wilder(tr, period, out, 1);
}
