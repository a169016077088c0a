// Exchange decimals as integers of 1e-8 (Binance quotes prices and quantities with at most 8
// decimals), so sums of quantities are exact: a bar's volume built from ticks is the same number
// as the exchange's volume string, not a float sum that drifts in the last digits.
export const SCALE_DIGITS = 8;
export const SCALE = 10n ** BigInt(SCALE_DIGITS);
const DECIMAL = /^(\d{1,20})(?:\.(\d{1,8}))?$/;

/** "28465.36" → 2846536000000n; undefined if not a plain non-negative decimal with ≤ 8 decimals. */
export function parseScaled(text: string): bigint | undefined {
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(SCALE_DIGITS, '0');
  return BigInt(m[1]) * SCALE + BigInt(frac);
}

/** Number of decimals written in a decimal string ("26.31939" → 5, "12" → 0). */
export function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** 2846536000000n, 2 → "28465.36". `digits` ≤ 8; digits that would be cut must be zero. */
export function formatScaled(v: bigint, digits: number): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const int = a / SCALE;
  const frac = (a % SCALE).toString().padStart(SCALE_DIGITS, '0');
  if (/[^0]/.test(frac.slice(digits))) throw new Error(`formatScaled: ${v} has more than ${digits} decimals`);
  const shown = frac.slice(0, digits);
  return `${neg ? '-' : ''}${int}${digits > 0 ? `.${shown}` : ''}`;
}

/** The nearest double to v × 10^-scaleDigits (one rounding, as parseFloat of the decimal text). */
export function scaledToNumber(v: bigint, scaleDigits = SCALE_DIGITS): number {
  const unit = 10n ** BigInt(scaleDigits);
  const int = v / unit;
  const frac = v % unit;
  if (int <= BigInt(Number.MAX_SAFE_INTEGER)) {
    // Exact integer part and an exact fraction numerator: Number(text) rounds once.
    return Number(`${int}.${frac.toString().padStart(scaleDigits, '0')}`);
  }
  return Number(v) / Number(unit);
}
