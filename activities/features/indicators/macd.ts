// MACD(fast, slow, signal) with EMAs for both the oscillator and the signal line (what
// technicalindicators computes with SimpleMAOscillator:false, SimpleMASignal:false).
// The line is defined from index slow−1, signal and histogram from slow+signal−2.
import { ema } from './ema';

export function macd(
  close: Float64Array,
  fast: number,
  slow: number,
  signal: number,
  out: { line: Float64Array; signal: Float64Array; hist: Float64Array },
  scratch = new Float64Array(2 * close.length),
): void {
  const n = close.length;
  if (n < slow) return;
  const f = scratch.subarray(0, n);
  const s = scratch.subarray(n, 2 * n);
  ema(close, fast, f);
  ema(close, slow, s);
  for (let i = slow - 1; i < n; i++) out.line[i] = f[i] - s[i];
  ema(out.line, signal, out.signal, slow - 1);
  for (let i = slow + signal - 2; i < n; i++) out.hist[i] = out.line[i] - out.signal[i];
}
