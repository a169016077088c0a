// Turns a /api/v3/klines answer into checked Klines: 12-field rows, integer times, finite
// non-negative numbers, a coherent high/low, strictly increasing open times on the interval's grid
// inside the requested range. Anything else is a KlineDataError (a garbled or wrong answer).
import type { Kline } from './kline';

export class KlineDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KlineDataError';
  }
}

function num(v: unknown, what: string, i: number): number {
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0 || v === '') throw new KlineDataError(`row ${i}: ${what} is not a non-negative decimal string: ${JSON.stringify(v)}`);
  return n;
}

function int(v: unknown, what: string, i: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new KlineDataError(`row ${i}: ${what} is not an integer: ${JSON.stringify(v)}`);
  return v;
}

export function parseKlineRows(data: unknown, intervalMs: number, firstOpen: number, lastOpen: number): Kline[] {
  if (!Array.isArray(data)) throw new KlineDataError(`expected an array of klines, got ${typeof data}`);
  const out: Kline[] = new Array(data.length);
  let prev = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const r = data[i];
    if (!Array.isArray(r) || r.length !== 12) throw new KlineDataError(`row ${i}: expected 12 fields, got ${JSON.stringify(r)?.slice(0, 80)}`);
    const k: Kline = {
      openTime: int(r[0], 'openTime', i),
      open: num(r[1], 'open', i),
      high: num(r[2], 'high', i),
      low: num(r[3], 'low', i),
      close: num(r[4], 'close', i),
      volume: num(r[5], 'volume', i),
      closeTime: int(r[6], 'closeTime', i),
      quoteVolume: num(r[7], 'quoteVolume', i),
      trades: int(r[8], 'trades', i),
      takerBuyBase: num(r[9], 'takerBuyBase', i),
      takerBuyQuote: num(r[10], 'takerBuyQuote', i),
    };
    if (k.openTime % intervalMs !== 0) throw new KlineDataError(`row ${i}: openTime ${k.openTime} is not on the ${intervalMs} ms grid`);
    if (k.openTime <= prev) throw new KlineDataError(`row ${i}: openTime ${k.openTime} does not increase (previous ${prev})`);
    if (k.openTime < firstOpen || k.openTime > lastOpen) throw new KlineDataError(`row ${i}: openTime ${k.openTime} outside the requested [${firstOpen}, ${lastOpen}]`);
    if (k.closeTime !== k.openTime + intervalMs - 1) throw new KlineDataError(`row ${i}: closeTime ${k.closeTime} != openTime + interval - 1`);
    if (k.high < Math.max(k.open, k.close, k.low) || k.low > Math.min(k.open, k.close)) throw new KlineDataError(`row ${i}: high/low inconsistent with open/close (${r.slice(1, 5).join(', ')})`);
    prev = k.openTime;
    out[i] = k;
  }
  return out;
}
