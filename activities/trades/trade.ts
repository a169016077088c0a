// A closed trade as the trading bot writes it to the Redis stream `trade.closed`.
//
// Stream entry fields (all values are strings, as Redis stores them):
//   id             trade id, unique per trade (the bot's id, or `tradeId()` for imported trades)
//   symbol         e.g. BTCUSDT
//   side           'long' | 'short'
//   entry_time_ms  entry time, integer ms since the Unix epoch (UTC)
//   exit_time_ms   exit time, integer ms, >= entry_time_ms
//   entry_price    > 0
//   exit_price     > 0
//   pnl_pct        realised profit in percent after fees (1.5 = +1.5 %)
//   source         who produced the trade (bot name, backtest file, simulation rule)
//   simulated      'true' | 'false'
// Every field is required; an entry missing one, or with an unparsable value, is malformed.
import { createHash } from 'node:crypto';

export const DEFAULT_TRADE_STREAM = 'trade.closed';

export interface Trade {
  id: string;
  symbol: string;
  side: 'long' | 'short';
  entry_time_ms: number;
  exit_time_ms: number;
  entry_price: number;
  exit_price: number;
  pnl_pct: number;
  source: string;
  simulated: boolean;
}

/** Canonical key order: archive lines and stream entries always list fields in this order. */
export const TRADE_FIELDS = [
  'id', 'symbol', 'side', 'entry_time_ms', 'exit_time_ms', 'entry_price', 'exit_price', 'pnl_pct',
  'source', 'simulated',
] as const;

export type ParseResult = { ok: true; trade: Trade } | { ok: false; reason: string };

/**
 * Validates a trade given as loose values (stream strings, JSON values, CSV cells). Numbers may be
 * numbers or numeric strings; `simulated` may be a boolean or 'true'/'false'.
 */
export function parseTrade(raw: Record<string, unknown>): ParseResult {
  for (const f of TRADE_FIELDS) {
    if (raw[f] === undefined || raw[f] === null || raw[f] === '') return { ok: false, reason: `missing field ${f}` };
  }
  const str = (f: string) => (typeof raw[f] === 'string' ? (raw[f] as string) : undefined);
  const id = str('id');
  const symbol = str('symbol');
  const source = str('source');
  if (id === undefined) return { ok: false, reason: 'id must be a string' };
  if (symbol === undefined || !/^[A-Z0-9]{2,30}$/.test(symbol)) return { ok: false, reason: `bad symbol ${JSON.stringify(raw.symbol)}` };
  if (source === undefined) return { ok: false, reason: 'source must be a string' };
  const side = raw.side;
  if (side !== 'long' && side !== 'short') return { ok: false, reason: `bad side ${JSON.stringify(side)} (long|short)` };
  const nums: Record<string, number> = {};
  for (const f of ['entry_time_ms', 'exit_time_ms', 'entry_price', 'exit_price', 'pnl_pct']) {
    const n = toNumber(raw[f]);
    if (n === undefined) return { ok: false, reason: `bad number in ${f}: ${JSON.stringify(raw[f])}` };
    nums[f] = n;
  }
  for (const f of ['entry_time_ms', 'exit_time_ms']) {
    if (!Number.isSafeInteger(nums[f]) || nums[f] < 0) return { ok: false, reason: `${f} must be a non-negative integer (ms)` };
  }
  if (nums.exit_time_ms < nums.entry_time_ms) return { ok: false, reason: 'exit_time_ms < entry_time_ms' };
  if (!(nums.entry_price > 0) || !(nums.exit_price > 0)) return { ok: false, reason: 'prices must be > 0' };
  const sim = raw.simulated;
  if (sim !== true && sim !== false && sim !== 'true' && sim !== 'false') {
    return { ok: false, reason: `bad simulated ${JSON.stringify(sim)} (true|false)` };
  }
  return {
    ok: true,
    trade: {
      id, symbol, side,
      entry_time_ms: nums.entry_time_ms,
      exit_time_ms: nums.exit_time_ms,
      entry_price: nums.entry_price,
      exit_price: nums.exit_price,
      pnl_pct: nums.pnl_pct,
      source,
      simulated: sim === true || sim === 'true',
    },
  };
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || !/^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** A stream entry's flat [field, value, ...] list as ioredis returns it, as an object. */
export function fieldsToObject(fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]] = fields[i + 1];
  return out;
}

/** The XADD field list for a trade (String(number) round-trips exactly through Number()). */
export function tradeToFields(t: Trade): string[] {
  return TRADE_FIELDS.flatMap((f) => [f, String(t[f])]);
}

/** One archive line: JSON with the keys in canonical order. */
export function tradeToJson(t: Trade): string {
  const o: Record<string, unknown> = {};
  for (const f of TRADE_FIELDS) o[f] = t[f];
  return JSON.stringify(o);
}

export function compareTrades(a: Trade, b: Trade): number {
  return a.exit_time_ms - b.exit_time_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A deterministic id for a trade that has none: the same trade imported twice (from the same
 * source) gets the same id, so imports are idempotent.
 */
export function tradeId(t: { source: string; symbol: string; entry_time_ms: number; exit_time_ms: number }): string {
  const h = createHash('sha256').update(`${t.source}\n${t.symbol}\n${t.entry_time_ms}\n${t.exit_time_ms}`).digest('hex');
  return `h-${h.slice(0, 32)}`;
}

/** The stream entry id's millisecond part: Redis's insertion time for `*` ids. */
export function streamIdMs(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

/** The Redis set of every trade id ever imported into or archived from `stream`. */
export function tradeIdSetKey(stream: string): string {
  return `${stream}:ids`;
}

/** Orders stream ids ('ms-seq') numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || as - bs;
}
