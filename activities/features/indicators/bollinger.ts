// Bollinger(p, k) on closes, population standard deviation (÷p, as technicalindicators and
// TA-Lib), defined from index p−1. %B = (close − lower)/(upper − lower); on a flat window upper ==
// lower and %B would be 0/0, so we define it as 0.5 (the close sits on the middle band).
// Bandwidth = (upper − lower)/middle. One pass of rollingWindows (no drift, see rolling.ts).
import { nanPrefix } from './nan-prefix';
import { Emit, rollingWindows } from './rolling';

export function bollinger(close: Float64Array, period: number, stdDev: number, out: { pctB: Float64Array; width: Float64Array }): void {
  nanPrefix(out.pctB, period - 1);
  nanPrefix(out.width, period - 1);
  rollingWindows(close, period, 0, Emit.Bollinger, out.pctB, out.width, stdDev);
}
