// MACD(fast, slow, signal) with EMAs for both the oscillator and the signal line (what
// technicalindicators computes with SimpleMAOscillator:false, SimpleMASignal:false): EMAs seeded
// with the simple mean of their first `period` values, then (x − prev)·k + prev, the exact
// arithmetic of technicalindicators (the oracle test compares bit for bit). The line is defined
// from index slow−1, signal and histogram from slow+signal−2. Two passes: both price EMAs and the
// line, then the signal EMA and the histogram.
import { nanPrefix } from './nan-prefix';

export function macd(close: Float64Array, fast: number, slow: number, signal: number, out: { line: Float64Array; signal: Float64Array; hist: Float64Array }): void {
  const n = close.length;
  const lineFrom = slow - 1;
  const signalFrom = slow + signal - 2;
  nanPrefix(out.line, lineFrom);
  nanPrefix(out.signal, signalFrom);
  nanPrefix(out.hist, signalFrom);
  if (n < slow) return;
  const kf = 2 / (fast + 1);
  const ks = 2 / (slow + 1);
  let sumF = 0;
  for (let i = 0; i < fast; i++) sumF += close[i];
  let ef = sumF / fast;
  for (let i = fast; i < lineFrom; i++) ef = (close[i] - ef) * kf + ef;
  let sumS = 0;
  for (let i = 0; i < slow; i++) sumS += close[i];
  let es = sumS / slow;
  if (fast <= lineFrom) ef = (close[lineFrom] - ef) * kf + ef;
  const line = out.line;
  line[lineFrom] = ef - es;
  for (let i = slow; i < n; i++) {
    const c = close[i];
    ef = (c - ef) * kf + ef;
    es = (c - es) * ks + es;
    line[i] = ef - es;
  }
  if (signalFrom >= n) return;
  const kg = 2 / (signal + 1);
  let sumG = 0;
  for (let i = lineFrom; i <= signalFrom; i++) sumG += line[i];
  let eg = sumG / signal;
  out.signal[signalFrom] = eg;
  out.hist[signalFrom] = line[signalFrom] - eg;
  for (let i = signalFrom + 1; i < n; i++) {
    eg = (line[i] - eg) * kg + eg;
    out.signal[i] = eg;
    out.hist[i] = line[i] - eg;
  }
}
