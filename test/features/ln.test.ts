// lnInto against an exact reference (ln of the double's exact value, in 200-bit fixed point with
// BigInt) and Math.log: within 0.5 ulp + 2^-60 everywhere, special values as Math.log.
import { describe, expect, it } from 'vitest';
import { lnInto } from '../../activities/features/indicators/ln';

const BITS = 200n;
/** ln(x)·2^BITS for a positive normal double x, exactly up to the last few units. */
function lnExact(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const e = BigInt(Number((bits >> 52n) & 0x7ffn) - 1023);
  const m = (bits & ((1n << 52n) - 1n)) | (1n << 52n); // x = m·2^(e−52), m in [2^52, 2^53)
  const atanh2 = (num: bigint, den: bigint) => {
    // 2·atanh(num/den)·2^BITS
    let term = (num << BITS) / den;
    let sum = 0n;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += term / k;
      term = (term * num * num) / (den * den);
    }
    return 2n * sum;
  };
  const ln2 = atanh2(1n, 3n);
  return e * ln2 + atanh2(m - (1n << 52n), m + (1n << 52n));
}
const ulp = (v: number) => 2 ** (Math.floor(Math.log2(Math.abs(v))) - 52);

describe('lnInto', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

  it('is within 0.5 ulp + 2^-60 of the exact logarithm (prices, returns-size values, extremes)', () => {
    const xs: number[] = [1, 2, 0.5, 1 - 2 ** -53, 1 + 2 ** -52, Math.E, 10, 28_123.45, 0.0001234, 2.2250738585072014e-308, Number.MAX_VALUE];
    for (let i = 0; i < 3000; i++) xs.push(Math.exp((rnd() - 0.5) * 1400) * (1 + rnd()));
    for (let i = 0; i < 3000; i++) xs.push(100 * (1 + rnd())); // a price range
    for (let i = 0; i < 1000; i++) xs.push(1 + (rnd() - 0.5) * 1e-3); // near 1: the result near 0
    const x = Float64Array.from(xs.filter((v) => v >= 2.2250738585072014e-308 && v <= Number.MAX_VALUE));
    const out = new Float64Array(x.length);
    lnInto(x, out);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const exact = lnExact(x[i]);
      const err = Math.abs(Number(BigInt(Math.round(out[i] * 2 ** 100)) * 2n ** 100n - exact)) * 2 ** -200;
      // out[i]·2^100 is an integer for |out| ≥ 2^-47; below that compare directly.
      const errSmall = Math.abs(out[i] - Number(exact) * 2 ** -200);
      const e = Math.abs(out[i]) >= 2 ** -40 ? err : errSmall;
      const bound = (out[i] === 0 ? 0 : 0.5 * ulp(out[i])) + 2 ** -60;
      if (!(e <= bound)) throw new Error(`ln(${x[i]}): ${out[i]}, error ${e} > ${bound}`);
      if (Math.abs(out[i]) > 0.01) worst = Math.max(worst, e / ulp(out[i])); // near x = 1 the 2^-60 dominates
    }
    expect(worst).toBeLessThan(0.5001);
  });

  it('agrees with Math.log within 1 ulp + 2^-60 on a million values, and takes special values from it', () => {
    const n = 1_000_000;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.exp((rnd() - 0.5) * 100) * (1 + rnd());
    const specials = [0, -0, -1, Infinity, -Infinity, NaN, 5e-324, 1e-310, -1e-300];
    specials.forEach((v, i) => (x[i * 1000] = v));
    const out = new Float64Array(n);
    lnInto(x, out);
    for (let i = 0; i < n; i++) {
      const m = Math.log(x[i]);
      if (!Number.isFinite(m) || x[i] < 2.2250738585072014e-308) expect(Object.is(out[i], m), `ln(${x[i]})`).toBe(true);
      else if (!(Math.abs(out[i] - m) <= (m === 0 ? 0 : ulp(m)) + 2 ** -60)) throw new Error(`ln(${x[i]}): ${out[i]} vs Math.log ${m}`);
    }
  });

  it('works on a view that does not start at the buffer’s start', () => {
    const all = Float64Array.from([3, 1, 2, 4, 100]);
    const out = new Float64Array(3);
    lnInto(all.subarray(1, 4), out);
    expect([...out].map((v, i) => Math.abs(v - Math.log([1, 2, 4][i])) <= 4.5e-16)).toEqual([true, true, true]);
  });
});
