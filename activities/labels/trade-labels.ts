// Trade labels: where the bot actually traded, its realised pnl is the label.
import type { Trade } from '../trades/trade';
import { compareSamples, type Sample } from './sample';

export function tradeLabels(trades: Trade[]): Sample[] {
  return trades
    .map((t): Sample => ({
      symbol: t.symbol,
      time: t.entry_time_ms,
      label: t.pnl_pct / 100,
      kind: 'trade',
      horizonMs: t.exit_time_ms - t.entry_time_ms,
    }))
    .sort(compareSamples);
}
