// Ticks → 1m bars, the way Binance builds klines: open = first trade, close = last trade (by
// trade time, then trade id, then arrival), high/low = extremes, volume = Σ qty, quote volume =
// Σ price × qty, trades = count, taker-buy volumes = the same sums over trades whose taker bought.
// Sums are exact (integers of 1e-8 and 1e-16), so a bar's volume is the exchange's number.
//
// Minutes close on a clock the caller advances (`closeThrough`): every minute ending at or before
// it is final. The policy for ticks arriving out of turn:
//   - a tick for a minute that is still open is merged wherever it falls in time (reordering
//     within the grace period changes nothing);
//   - a tick for a minute already closed is LATE: it is not merged (the bar was written), and the
//     caller routes it to the dead-letter stream, so nothing is lost and reconciliation shows it;
//   - a tick whose tradeId was already merged into its (open) bar is a DUPLICATE and is dropped.
//     Without a tradeId two identical trades cannot be told from a repeat, so none are dropped.
import type { Kline } from '../binance/kline';
import { scaledToNumber } from './decimal';
import type { Tick } from './tick';

export const MINUTE_MS = 60_000;

interface OrderKey {
  time: number;
  tradeId?: bigint;
  seq: number;
}

/** Trade time first, then trade id (when both have one), then the order the ticks arrived in. */
function before(a: OrderKey, b: OrderKey): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.tradeId !== undefined && b.tradeId !== undefined && a.tradeId !== b.tradeId) return a.tradeId < b.tradeId;
  return a.seq < b.seq;
}

export interface OpenBar {
  symbol: string;
  openTime: number;
  first: OrderKey;
  last: OrderKey;
  open: bigint;
  close: bigint;
  high: bigint;
  low: bigint;
  volume: bigint;
  takerBuyBase: bigint;
  /** 1e-16 units (price × qty). */
  quote: bigint;
  takerBuyQuote: bigint;
  trades: number;
  /** Stream ids of the ticks merged: acknowledged when the bar is written. */
  ids: string[];
  tradeIds: Set<bigint>;
  simulated: number;
}

export type AddResult = 'accepted' | 'duplicate' | 'late';

export function barToKline(b: OpenBar): Kline {
  return {
    openTime: b.openTime,
    open: scaledToNumber(b.open),
    high: scaledToNumber(b.high),
    low: scaledToNumber(b.low),
    close: scaledToNumber(b.close),
    volume: scaledToNumber(b.volume),
    closeTime: b.openTime + MINUTE_MS - 1,
    quoteVolume: scaledToNumber(b.quote, 16),
    trades: b.trades,
    takerBuyBase: scaledToNumber(b.takerBuyBase),
    takerBuyQuote: scaledToNumber(b.takerBuyQuote, 16),
  };
}

export class MinuteBars {
  /** symbol → minute open time → bar. */
  private open = new Map<string, Map<number, OpenBar>>();
  private seq = 0;

  /** Every minute ending at or before this is closed (its bar written or it had no ticks). */
  constructor(public closedThrough: number) {}

  add(tick: Tick, entryId: string): AddResult {
    const openTime = Math.floor(tick.time / MINUTE_MS) * MINUTE_MS;
    if (openTime + MINUTE_MS <= this.closedThrough) return 'late';
    let bars = this.open.get(tick.symbol);
    if (!bars) this.open.set(tick.symbol, (bars = new Map()));
    const key: OrderKey = { time: tick.time, tradeId: tick.tradeId, seq: this.seq++ };
    const quote = tick.price * tick.qty;
    let b = bars.get(openTime);
    if (!b) {
      b = {
        symbol: tick.symbol, openTime, first: key, last: key, open: tick.price, close: tick.price, high: tick.price, low: tick.price,
        volume: 0n, takerBuyBase: 0n, quote: 0n, takerBuyQuote: 0n, trades: 0, ids: [], tradeIds: new Set(), simulated: 0,
      };
      bars.set(openTime, b);
    } else {
      if (tick.tradeId !== undefined && b.tradeIds.has(tick.tradeId)) return 'duplicate';
      if (before(key, b.first)) {
        b.first = key;
        b.open = tick.price;
      }
      if (!before(key, b.last)) {
        b.last = key;
        b.close = tick.price;
      }
      if (tick.price > b.high) b.high = tick.price;
      if (tick.price < b.low) b.low = tick.price;
    }
    if (tick.tradeId !== undefined) b.tradeIds.add(tick.tradeId);
    b.volume += tick.qty;
    b.quote += quote;
    if (tick.takerBuy) {
      b.takerBuyBase += tick.qty;
      b.takerBuyQuote += quote;
    }
    b.trades++;
    b.ids.push(entryId);
    if (tick.simulated) b.simulated++;
    return 'accepted';
  }

  /** Advances the clock (never backwards) and removes and returns the bars it closes. */
  closeThrough(t: number): OpenBar[] {
    if (t > this.closedThrough) this.closedThrough = t;
    const out: OpenBar[] = [];
    for (const [symbol, bars] of this.open) {
      for (const [openTime, b] of bars) {
        if (openTime + MINUTE_MS <= this.closedThrough) {
          out.push(b);
          bars.delete(openTime);
        }
      }
      if (bars.size === 0) this.open.delete(symbol);
    }
    return out.sort((a, b) => a.symbol.localeCompare(b.symbol) || a.openTime - b.openTime);
  }

  /** Bars still open, by symbol: [first, last] minute open time and count. */
  openSummary(): Array<{ symbol: string; bars: number; from: number; to: number; ticks: number }> {
    return [...this.open].map(([symbol, bars]) => {
      const times = [...bars.keys()];
      return { symbol, bars: bars.size, from: Math.min(...times), to: Math.max(...times), ticks: [...bars.values()].reduce((n, b) => n + b.trades, 0) };
    });
  }
}
