// One entry of the `market.klines` stream: a finished 1m bar the bot pushes (e.g. from Binance's
// kline WebSocket stream once its `x` flag says closed). Fields (strings):
//   symbol, openTime (epoch ms, on the minute), open, high, low, close, volume   required
//   quoteVolume, trades, takerBuyBase, takerBuyQuote                             optional, 0 when absent
//   closeTime (openTime + 59999 if given), interval ('1m' if given)
//   closed   'false' marks an in-progress update of a bar that is not finished: skipped
//   simulated '1' set by klines.simulateBars, never by the bot
import type { Kline } from '../binance/kline';
import { parseScaled, scaledToNumber } from './decimal';
import { MINUTE_MS } from './minute-bars';
import { fieldMap, SYMBOL } from './tick';

export type ParsedBar =
  | { kind: 'bar'; symbol: string; kline: Kline; simulated: boolean }
  | { kind: 'inProgress' }
  | { kind: 'invalid'; reason: string };

const EPOCH_MS = /^\d{1,15}$/;
const PLAIN_DECIMAL = /^\d{1,20}(\.\d{1,20})?$/;

export function parseBarEntry(fields: string[]): ParsedBar {
  const f = fieldMap(fields);
  const bad = (reason: string): ParsedBar => ({ kind: 'invalid', reason });
  if (f.closed === 'false' || f.closed === '0') return { kind: 'inProgress' };
  if (f.closed !== undefined && f.closed !== 'true' && f.closed !== '1') return bad(`closed must be true or false, got ${JSON.stringify(f.closed)}`);
  if (!SYMBOL.test(f.symbol ?? '')) return bad(`symbol must match ${SYMBOL.source}, got ${JSON.stringify(f.symbol)}`);
  if (f.interval !== undefined && f.interval !== '1m') return bad(`interval must be 1m, got ${JSON.stringify(f.interval)}`);
  if (!EPOCH_MS.test(f.openTime ?? '')) return bad(`openTime must be epoch milliseconds, got ${JSON.stringify(f.openTime)}`);
  const openTime = Number(f.openTime);
  if (openTime % MINUTE_MS !== 0) return bad(`openTime ${openTime} is not on the minute`);
  if (f.closeTime !== undefined && f.closeTime !== String(openTime + MINUTE_MS - 1)) return bad(`closeTime ${f.closeTime} is not openTime + 59999`);
  const price: Record<string, number> = Object.create(null);
  for (const k of ['open', 'high', 'low', 'close', 'volume']) {
    const v = parseScaled(f[k] ?? '');
    if (v === undefined) return bad(`${k} must be a non-negative decimal with at most 8 decimals, got ${JSON.stringify(f[k])}`);
    price[k] = scaledToNumber(v);
  }
  const opt: Record<string, number> = Object.create(null);
  for (const k of ['quoteVolume', 'takerBuyBase', 'takerBuyQuote']) {
    const raw = f[k];
    if (raw !== undefined && !PLAIN_DECIMAL.test(raw)) return bad(`${k} must be a non-negative decimal, got ${JSON.stringify(raw)}`);
    opt[k] = raw === undefined ? 0 : Number(raw);
  }
  if (f.trades !== undefined && !/^\d{1,12}$/.test(f.trades)) return bad(`trades must be a non-negative integer, got ${JSON.stringify(f.trades)}`);
  const k: Kline = {
    openTime,
    open: price.open,
    high: price.high,
    low: price.low,
    close: price.close,
    volume: price.volume,
    closeTime: openTime + MINUTE_MS - 1,
    quoteVolume: opt.quoteVolume,
    trades: f.trades === undefined ? 0 : Number(f.trades),
    takerBuyBase: opt.takerBuyBase,
    takerBuyQuote: opt.takerBuyQuote,
  };
  if (k.high < Math.max(k.open, k.close, k.low) || k.low > Math.min(k.open, k.close)) return bad(`high/low inconsistent with open/close (${f.open}, ${f.high}, ${f.low}, ${f.close})`);
  if (k.takerBuyBase > k.volume) return bad(`takerBuyBase ${f.takerBuyBase} exceeds volume ${f.volume}`);
  return { kind: 'bar', symbol: f.symbol, kline: k, simulated: f.simulated === '1' || f.simulated === 'true' };
}
