// A deterministic rule-based long-only strategy, run over real 1m klines the way a freqtrade
// backtest would, to give the demo trades on days and symbols the real trade files do not cover.
//
// Rule "ema-cross" (defaults in EMA_CROSS_DEFAULTS):
//  - Signals on 5m bars aggregated from the 1m klines (a 5m bar is used only if all five 1m bars
//    exist). EMA(fast) and EMA(slow) of the 5m closes, seeded with the first close of a contiguous
//    run of bars; no signal during the first `warmupBars` 5m bars of a run (the seed's weight
//    is (1 - 2/(slow+1))^warmup < 0.1 %).
//  - Entry: EMA(fast) crosses above EMA(slow) at a 5m close → buy at the open of the next 1m bar.
//  - Exits, checked on every 1m bar from the entry bar on, like freqtrade's stoploss/ROI:
//      stop loss  low <= entry·(1 − sl)   → sell at the stop (or the bar's open if it gapped below)
//      take profit high >= entry·(1 + tp) → sell at the target (or the open if it gapped above)
//      both in one 1m bar → the stop (we cannot know which came first; conservative)
//      time       held `maxHoldMin` minutes → sell at that 1m bar's close
//      signal     EMA(fast) crosses below EMA(slow) at a 5m close → sell at the next 1m open
//    A barrier or time exit is stamped at the end of its 1m bar (when it is known to have
//    happened); a signal exit at the open it sells at.
//  - One position per symbol; a fee of `feePct` per side, as freqtrade computes profit:
//    pnl_pct = 100·(exit·(1 − fee) − entry·(1 + fee)) / (entry·(1 + fee)).
//  - A position still open where the data stops (a gap or the window's end) is not reported,
//    as open trades are left out of the real trade files.
import type { Kline } from '../binance/kline';
import type { Trade } from './trade';

export interface EmaCrossParams {
  fast: number;
  slow: number;
  timeframeMin: number;
  takeProfitPct: number;
  stopLossPct: number;
  maxHoldMin: number;
  feePct: number;
  warmupBars: number;
}

export const EMA_CROSS_DEFAULTS: EmaCrossParams = {
  fast: 12, slow: 26, timeframeMin: 5, takeProfitPct: 1.5, stopLossPct: 1, maxHoldMin: 240, feePct: 0.1, warmupBars: 100,
};

/** A closed trade of the simulation: the stream's Trade, before an id is given, always long. */
export type SimulatedTrade = Omit<Trade, 'id' | 'side' | 'simulated'> & { side: 'long'; simulated: true };

const MIN = 60_000;

export function emaCrossSource(p: EmaCrossParams): string {
  return `trainflow/activities/trades/simulate.ts#ema-cross[fast=${p.fast},slow=${p.slow},tf=${p.timeframeMin}m,` +
    `tp=${p.takeProfitPct}%,sl=${p.stopLossPct}%,maxHold=${p.maxHoldMin}m,fee=${p.feePct}%,exec=1m]`;
}

/** Runs the rule over one symbol's 1m klines (sorted by open time). */
export function simulateEmaCross(symbol: string, klines: Kline[], p: EmaCrossParams = EMA_CROSS_DEFAULTS): SimulatedTrade[] {
  const out: SimulatedTrade[] = [];
  for (const run of contiguousRuns(klines)) out.push(...simulateRun(symbol, run, p));
  return out;
}

function contiguousRuns(klines: Kline[]): Kline[][] {
  const runs: Kline[][] = [];
  let cur: Kline[] = [];
  for (const k of klines) {
    if (cur.length && k.openTime !== cur[cur.length - 1].openTime + MIN) { runs.push(cur); cur = []; }
    cur.push(k);
  }
  if (cur.length) runs.push(cur);
  return runs;
}

/** For each 1m bar that closes a complete signal bar: whether EMA(fast) crossed EMA(slow) there. */
function crossSignals(run: Kline[], p: EmaCrossParams): Map<number, 'up' | 'down'> {
  const tf = p.timeframeMin * MIN;
  const signals = new Map<number, 'up' | 'down'>();
  const af = 2 / (p.fast + 1);
  const as = 2 / (p.slow + 1);
  let fast = NaN;
  let slow = NaN;
  let bars = 0;
  for (let i = 0; i < run.length; i++) {
    const k = run[i];
    if ((k.openTime + MIN) % tf !== 0 || i + 1 < p.timeframeMin) continue; // not the last 1m bar of a complete bar
    const prevFast = fast;
    const prevSlow = slow;
    fast = bars === 0 ? k.close : fast + af * (k.close - fast);
    slow = bars === 0 ? k.close : slow + as * (k.close - slow);
    bars++;
    if (bars <= p.warmupBars) continue;
    if (prevFast <= prevSlow && fast > slow) signals.set(i, 'up');
    else if (prevFast >= prevSlow && fast < slow) signals.set(i, 'down');
  }
  return signals;
}

function simulateRun(symbol: string, run: Kline[], p: EmaCrossParams): SimulatedTrade[] {
  const signals = crossSignals(run, p);
  const source = emaCrossSource(p);
  const fee = p.feePct / 100;
  const trades: SimulatedTrade[] = [];
  let pos: { entryTime: number; entry: number; tp: number; sl: number } | undefined;
  let pending: 'enter' | 'exit' | undefined;
  const close = (exitTime: number, exit: number) => {
    const cost = pos!.entry * (1 + fee);
    trades.push({
      symbol, side: 'long', entry_time_ms: pos!.entryTime, exit_time_ms: exitTime,
      entry_price: round(pos!.entry), exit_price: round(exit),
      pnl_pct: round((100 * (exit * (1 - fee) - cost)) / cost), source, simulated: true,
    });
    pos = undefined;
  };
  for (let i = 0; i < run.length; i++) {
    const k = run[i];
    if (pending === 'enter') {
      pos = { entryTime: k.openTime, entry: k.open, tp: k.open * (1 + p.takeProfitPct / 100), sl: k.open * (1 - p.stopLossPct / 100) };
    } else if (pending === 'exit') close(k.openTime, k.open);
    pending = undefined;
    if (pos) {
      if (k.low <= pos.sl) close(k.openTime + MIN, Math.min(pos.sl, k.open));
      else if (k.high >= pos.tp) close(k.openTime + MIN, Math.max(pos.tp, k.open));
      else if (k.openTime + MIN - pos.entryTime >= p.maxHoldMin * MIN) close(k.openTime + MIN, k.close);
    }
    const signal = i + 1 < run.length ? signals.get(i) : undefined;
    if (signal === 'up' && !pos) pending = 'enter';
    else if (signal === 'down' && pos) pending = 'exit';
  }
  return trades;
}

function round(x: number): number {
  return Number(x.toFixed(8));
}
