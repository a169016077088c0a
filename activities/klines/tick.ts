// One entry of the `market.tick` stream: a trade as the bot pushes it. Fields (strings, as Redis
// streams hold them):
//   symbol   BTCUSDT                       (^[A-Z0-9]{5,20}$)
//   price    "28465.36"                    (plain decimal, > 0, at most 8 decimals)
//   qty      "0.01230"                     (plain decimal, > 0, at most 8 decimals)
//   time     "1682899199123"               (trade time, epoch ms)
//   side     "buy" | "sell"                (the taker's side; buy = the taker bought)
//   tradeId  "3051234001"                  (optional: the exchange's trade id; enables de-duplication)
//   simulated "1"                          (optional: set by klines.simulateTicks, never by the bot)
// An entry with `type: watermark` and `time` instead says "no tick older than time will follow"
// (the simulator sends one at the end of a replay so the last minute can close).
import { parseScaled } from './decimal';

export interface Tick {
  symbol: string;
  /** Price and quantity in 1e-8 units. */
  price: bigint;
  qty: bigint;
  time: number;
  takerBuy: boolean;
  tradeId?: bigint;
  simulated: boolean;
}

export type ParsedEntry =
  | { kind: 'tick'; tick: Tick }
  | { kind: 'watermark'; time: number }
  | { kind: 'invalid'; reason: string };

export const SYMBOL = /^[A-Z0-9]{5,20}$/;
const EPOCH_MS = /^\d{1,15}$/;
const TRADE_ID = /^\d{1,20}$/;

/** Field list of an XREAD entry → a null-prototype record (field names come from the stream). */
export function fieldMap(fields: string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]] = fields[i + 1];
  return out;
}

export function parseTickEntry(fields: string[], maxTime: number): ParsedEntry {
  const f = fieldMap(fields);
  if (f.type === 'watermark') {
    if (!EPOCH_MS.test(f.time ?? '')) return { kind: 'invalid', reason: `watermark: time must be epoch milliseconds, got ${JSON.stringify(f.time)}` };
    return { kind: 'watermark', time: Number(f.time) };
  }
  if (f.type !== undefined && f.type !== 'tick') return { kind: 'invalid', reason: `unknown entry type ${JSON.stringify(f.type)}` };
  const bad = (what: string) => ({ kind: 'invalid' as const, reason: what });
  if (!SYMBOL.test(f.symbol ?? '')) return bad(`symbol must match ${SYMBOL.source}, got ${JSON.stringify(f.symbol)}`);
  const price = parseScaled(f.price ?? '');
  if (price === undefined || price === 0n) return bad(`price must be a positive decimal with at most 8 decimals, got ${JSON.stringify(f.price)}`);
  const qty = parseScaled(f.qty ?? '');
  if (qty === undefined || qty === 0n) return bad(`qty must be a positive decimal with at most 8 decimals, got ${JSON.stringify(f.qty)}`);
  if (!EPOCH_MS.test(f.time ?? '')) return bad(`time must be epoch milliseconds, got ${JSON.stringify(f.time)}`);
  const time = Number(f.time);
  if (time > maxTime) return bad(`time ${new Date(time).toISOString()} is in the future`);
  const side = (f.side ?? '').toLowerCase();
  if (side !== 'buy' && side !== 'sell') return bad(`side must be 'buy' or 'sell' (the taker's side), got ${JSON.stringify(f.side)}`);
  if (f.tradeId !== undefined && !TRADE_ID.test(f.tradeId)) return bad(`tradeId must be an integer, got ${JSON.stringify(f.tradeId)}`);
  return {
    kind: 'tick',
    tick: {
      symbol: f.symbol,
      price,
      qty,
      time,
      takerBuy: side === 'buy',
      ...(f.tradeId !== undefined ? { tradeId: BigInt(f.tradeId) } : {}),
      simulated: f.simulated === '1' || f.simulated === 'true',
    },
  };
}
