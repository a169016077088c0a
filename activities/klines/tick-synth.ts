// SIMULATED ticks for one real bar: a sequence of trades whose aggregation (minute-bars.ts) gives
// back the bar. What is real and what is made up:
//   exact, from the real bar: open (first tick), high, low, close (last tick), volume (Σ qty);
//     the trade count when the source has it (capped at maxTicksPerBar), the taker-buy volume
//     when the source has it;
//   approximate: the quote volume when the source has it (the prices of the ticks between open,
//     high, low and close are chosen so Σ price × qty lands within a price step of it);
//   synthetic: every tick's time within the minute, the prices between the four real ones, the
//     split of the volume into quantities, which ticks are taker buys; where the source lacks
//     them, the trade count (4–12) and the taker-buy share (35–65 %); trade ids.
// Deterministic: the same (seed, symbol, minute) gives the same ticks, whatever range is replayed.
import { mulberry32 } from '../../lib/mulberry32';
import { decimalsOf, formatScaled, parseScaled, SCALE } from './decimal';
import type { ShippedBar } from './shipped-klines';

export interface SynthTick {
  symbol: string;
  time: number;
  price: string;
  qty: string;
  side: 'buy' | 'sell';
  tradeId: string;
}

export interface SynthBar {
  ticks: SynthTick[];
  /** The tick count is the source's trade count. */
  countFromSource: boolean;
  /** The taker-buy volume is the source's. */
  takerBuyFromSource: boolean;
  /** The quote volume was aimed at (the source has one and there were free ticks to adjust). */
  quoteAimed: boolean;
}

export const MAX_TICKS_PER_BAR = 100_000;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function scaled(text: string, what: string): bigint {
  const v = parseScaled(text);
  if (v === undefined) throw new Error(`shipped bar: ${what} '${text}' is not a decimal with at most 8 decimals`);
  return v;
}

/** `total` split into k parts of at least 1, proportional to random weights. */
function split(total: bigint, k: number, rng: () => number): bigint[] {
  if (k === 0) return [];
  const w = Array.from({ length: k }, () => BigInt(Math.floor((0.5 + rng()) * 1e6)));
  const sumW = w.reduce((a, b) => a + b, 0n);
  const rest = total - BigInt(k);
  const parts = w.map((wi) => 1n + (rest * wi) / sumW);
  const given = parts.reduce((a, b) => a + b, 0n);
  parts[Math.floor(rng() * k)] += total - given;
  return parts;
}

function shuffle<T>(a: T[], rng: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export function synthesizeTicks(symbol: string, bar: ShippedBar, opts: { seed: number; maxTicksPerBar: number }): SynthBar {
  const rng = mulberry32(fnv1a(`${opts.seed}:${symbol}:${bar.openTime}`));
  const O = scaled(bar.open, 'open');
  const H = scaled(bar.high, 'high');
  const L = scaled(bar.low, 'low');
  const C = scaled(bar.close, 'close');
  const V = scaled(bar.volume, 'volume');
  const none: SynthBar = { ticks: [], countFromSource: false, takerBuyFromSource: false, quoteAimed: false };
  if (V === 0n) return none;

  const dp = Math.min(8, Math.max(...[bar.open, bar.high, bar.low, bar.close].map(decimalsOf)));
  const step = 10n ** BigInt(8 - dp);
  const qd = Math.min(8, Math.max(decimalsOf(bar.volume), bar.takerBuyBase ? decimalsOf(bar.takerBuyBase) : 0));
  const unit = 10n ** BigInt(8 - qd);
  const vUnits = V / unit;

  const allEqual = O === H && H === L && L === C;
  const highApart = H !== O && H !== C;
  const lowApart = L !== O && L !== C && L !== H;
  const need = allEqual ? 1 : 2 + (highApart ? 1 : 0) + (lowApart ? 1 : 0);
  const sourceCount = bar.trades !== undefined && bar.trades > 0 ? bar.trades : undefined;
  let n = sourceCount ?? 4 + Math.floor(rng() * 9);
  n = Math.min(Math.max(n, need), opts.maxTicksPerBar);

  const tbKnown = bar.takerBuyBase !== undefined && (bar.trades ?? 0) > 0;
  const TB = tbKnown ? scaled(bar.takerBuyBase!, 'takerBuyBase') / unit : (vUnits * BigInt(Math.floor((0.35 + 0.3 * rng()) * 1e6))) / 1_000_000n;
  const S = vUnits - TB;
  if (TB > 0n && S > 0n) n = Math.max(n, 2);
  n = Math.max(1, Math.min(n, Number(vUnits < BigInt(MAX_TICKS_PER_BAR) ? vUnits : BigInt(MAX_TICKS_PER_BAR))));

  let nBuy = TB === 0n ? 0 : S === 0n ? n : Math.min(n - 1, Math.max(1, Math.round((n * Number(TB)) / Number(vUnits))));
  if (BigInt(nBuy) > TB) nBuy = Number(TB);
  if (BigInt(n - nBuy) > S) nBuy = n - Number(S);
  const buyQty = split(TB, nBuy, rng);
  const sellQty = split(S, n - nBuy, rng);
  const isBuy = new Array<boolean>(n).fill(false);
  for (const i of shuffle([...Array(n).keys()], rng).slice(0, nBuy)) isBuy[i] = true;
  const qty: bigint[] = [];
  let b = 0;
  let s = 0;
  for (let i = 0; i < n; i++) qty.push((isBuy[i] ? buyQty[b++] : sellQty[s++]) * unit);

  // Prices: open first, close last, high and low somewhere between, the rest free.
  const price = new Array<bigint | undefined>(n).fill(undefined);
  price[0] = O;
  if (n > 1) price[n - 1] = C;
  const middle = shuffle([...Array(Math.max(0, n - 2)).keys()].map((i) => i + 1), rng);
  if (highApart && middle.length) price[middle.pop()!] = H;
  if (lowApart && middle.length) price[middle.pop()!] = L;
  const free = middle.sort((a, c) => a - c);
  let quoteAimed = false;
  if (bar.quoteVolume !== undefined && free.length > 0 && H > L) {
    // Σ price × qty in 1e-16 units; the free ticks get the two grid prices around the VWAP they need.
    const target = scaled(bar.quoteVolume, 'quoteVolume') * SCALE;
    let fixed = 0n;
    let freeQty = 0n;
    for (let i = 0; i < n; i++) {
      if (price[i] !== undefined) fixed += price[i]! * qty[i];
      else freeQty += qty[i];
    }
    let vw = (target - fixed) / freeQty;
    if (vw < L) vw = L;
    if (vw > H) vw = H;
    const lo = L + ((vw - L) / step) * step;
    const hi = lo + step <= H ? lo + step : lo;
    let deficit = target - fixed - lo * freeQty;
    for (const i of free) price[i] = lo;
    for (const i of [...free].sort((a, c) => (qty[c] > qty[a] ? 1 : qty[c] < qty[a] ? -1 : 0))) {
      if (hi === lo || deficit <= 0n) break;
      if ((hi - lo) * qty[i] <= deficit) {
        price[i] = hi;
        deficit -= (hi - lo) * qty[i];
      }
    }
    quoteAimed = true;
  } else {
    const slots = (H - L) / step + 1n;
    for (const i of free) price[i] = L + BigInt(Math.floor(rng() * Number(slots))) * step;
  }

  const times = Array.from({ length: n }, () => bar.openTime + Math.floor(rng() * 60_000)).sort((a, c) => a - c);
  const minute = BigInt(bar.openTime / 60_000);
  const ticks: SynthTick[] = [];
  for (let i = 0; i < n; i++) {
    ticks.push({
      symbol,
      time: times[i],
      price: formatScaled(price[i]!, dp),
      qty: formatScaled(qty[i], qd),
      side: isBuy[i] ? 'buy' : 'sell',
      tradeId: String(minute * BigInt(MAX_TICKS_PER_BAR) + BigInt(i)),
    });
  }
  return { ticks, countFromSource: sourceCount !== undefined && n === sourceCount, takerBuyFromSource: tbKnown, quoteAimed };
}
