// MACD(fast, slow, signal) with EMAs for both the oscillator and the signal line (what
// technicalindicators computes with SimpleMAOscillator:false, SimpleMASignal:false): EMAs seeded
// with the simple mean of their first `period` values, then (x − prev)·k + prev, the exact
// arithmetic of technicalindicators (the oracle test compares bit for bit). The line is defined
// from index slow−1, signal and histogram from slow+signal−2. One pass: both price EMAs, the line,
// and from the signal's seed on the signal EMA and the histogram.
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
  const sig = out.signal;
  const hist = out.hist;
  line[lineFrom] = ef - es;
  // Up to the signal's seed: the line alone, summed for the seed as it goes (same order).
  const seedEnd = Math.min(signalFrom + 1, n);
  let sumG = ef - es;
  for (let i = slow; i < seedEnd; i++) {
    const c = close[i];
    ef = (c - ef) * kf + ef;
    es = (c - es) * ks + es;
    const l = ef - es;
    line[i] = l;
    sumG += l;
  }
  if (signalFrom >= n) return;
  const kg = 2 / (signal + 1);
  let eg = sumG / signal;
  sig[signalFrom] = eg;
  hist[signalFrom] = line[signalFrom] - eg;
  // Then all three EMAs in one loop: their dependency chains run side by side.
  for (let i = signalFrom + 1; i < n; i++) {
    const c = close[i];
    ef = (c - ef) * kf + ef;
    es = (c - es) * ks + es;
    const l = ef - es;
    line[i] = l;
    eg = (l - eg) * kg + eg;
    sig[i] = eg;
    hist[i] = l - eg;
  }
}
