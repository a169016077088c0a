// data/trades/simulated-2023-04.jsonl: the ema-cross rule (simulate.ts) over the real 1m klines
// of the demo's four symbols for April 2023. Regenerate with `npx tsx scripts/simulate-trades.ts`.
import path from 'node:path';
import { klineFile, readKlinesCsv } from '../binance/kline-csv';
import { EMA_CROSS_DEFAULTS, simulateEmaCross, type SimulatedTrade } from './simulate';

export const SIMULATED_FILE = path.resolve(__dirname, '../../data/trades/simulated-2023-04.jsonl');
export const SIMULATION = {
  symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'],
  fromMs: Date.UTC(2023, 3, 1),
  toMs: Date.UTC(2023, 4, 1),
  params: EMA_CROSS_DEFAULTS,
};

export function simulateDemoTrades(klinesDir?: string): SimulatedTrade[] {
  const trades: SimulatedTrade[] = [];
  for (const symbol of SIMULATION.symbols) {
    const klines = readKlinesCsv(klineFile(symbol, '1m', klinesDir)).filter((k) => k.openTime >= SIMULATION.fromMs && k.openTime < SIMULATION.toMs);
    trades.push(...simulateEmaCross(symbol, klines, SIMULATION.params));
  }
  return trades.sort((a, b) => a.exit_time_ms - b.exit_time_ms || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

/** The file's text: one JSON object per line, in the shipped trade files' key order. */
export function renderSimulatedTrades(trades: SimulatedTrade[]): string {
  return trades.map((t) => JSON.stringify(t) + '\n').join('');
}
