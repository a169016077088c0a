// labels.build: labels for several symbols over [from, to), written as one samples file.
//   forward / barrier: from klines in Redis (open times in [from, to); a label never looks past
//     `to`, so samples whose horizon ends after it are dropped as 'end-of-data').
//   trades: realised pnl of the trades (archive + live stream) exiting in [from, to).
import type Redis from 'ioredis';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';
import { INTERVAL_MS, type Kline } from '../binance/kline';
import { parseTimeInput } from '../binance/time-input';
import { readTrades } from '../trades/reader';
import { DEFAULT_TRADE_STREAM } from '../trades/trade';
import { barrierLabels } from './barrier';
import { forwardReturnLabels } from './forward';
import type { LabelResult } from './sample';
import { writeSamples } from './samples-file';
import { tradeLabels } from './trade-labels';

export interface LabelsBuildInput {
  symbols: string[];
  interval: string;
  from: string | number;
  to: string | number;
  kind: 'forward' | 'barrier' | 'trades';
  /** Bars: the forward horizon, or the barrier time limit. */
  horizon?: number;
  /** Sample every `every` bars (default 1). */
  every?: number;
  takeProfitPct?: number;
  stopLossPct?: number;
  stream?: string;
  /** Trades: also use trades marked simulated (default true). */
  includeSimulated?: boolean;
}

export interface LabelsBuildOutput {
  samplesFile: string;
  hash: string;
  count: number;
  bySymbol: Record<string, number>;
  dropped: Record<string, number>;
  /** Symbols that produced no sample at all (no klines or trades in the range?). */
  emptySymbols: string[];
}

export interface KlineSource {
  range(symbol: string, interval: string, fromMs: number, toMs: number): Promise<Kline[]>;
}

export interface LabelsBuildDeps {
  redis: Redis;
  dataDir: string;
  klines: KlineSource;
}

export async function buildLabels(input: LabelsBuildInput, deps: LabelsBuildDeps, ctx: ActivityContext): Promise<LabelsBuildOutput> {
  const q = validate(input);
  let result: LabelResult;
  if (q.kind === 'trades') {
    const trades = await readTrades({ redis: deps.redis, dataDir: deps.dataDir, stream: q.stream, fromMs: q.fromMs, toMs: q.toMs });
    const wanted = new Set(q.symbols);
    const used = trades.filter((t) => wanted.has(t.symbol) && (q.includeSimulated || !t.simulated));
    result = { samples: tradeLabels(used), dropped: {} };
  } else {
    const series: Record<string, Kline[]> = {};
    for (const symbol of q.symbols) {
      if (ctx.signal.aborted) throw new Error('cancelled');
      series[symbol] = await deps.klines.range(symbol, q.interval, q.fromMs, q.toMs - 1);
      ctx.heartbeat({ symbol, bars: series[symbol].length });
    }
    const common = { every: q.every, intervalMs: INTERVAL_MS[q.interval] };
    result = q.kind === 'forward'
      ? forwardReturnLabels(series, { ...common, horizonBars: q.horizon })
      : barrierLabels(series, { ...common, maxBars: q.horizon, takeProfitPct: q.takeProfitPct!, stopLossPct: q.stopLossPct! });
  }
  const bySymbol: Record<string, number> = Object.fromEntries(q.symbols.map((s) => [s, 0]));
  for (const s of result.samples) bySymbol[s.symbol]++;
  const { file, hash, count } = writeSamples(deps.dataDir, result.samples, { params: { ...q }, dropped: result.dropped });
  const emptySymbols = q.symbols.filter((s) => bySymbol[s] === 0);
  ctx.log(`labels.build ${q.kind}: ${count} samples`, { bySymbol, dropped: result.dropped, emptySymbols });
  return { samplesFile: file, hash, count, bySymbol, dropped: result.dropped, emptySymbols };
}

function validate(input: LabelsBuildInput) {
  if (!input || typeof input !== 'object') throw new InvalidInputError('labels.build needs an input object');
  const { symbols, interval, kind } = input;
  if (!Array.isArray(symbols) || symbols.length === 0 || !symbols.every((s) => typeof s === 'string' && /^[A-Z0-9]+$/.test(s))) {
    throw new InvalidInputError('symbols must be a non-empty list of symbols like BTCUSDT');
  }
  if (!(interval in INTERVAL_MS)) throw new InvalidInputError(`unknown interval ${JSON.stringify(interval)}; one of ${Object.keys(INTERVAL_MS).join(', ')}`);
  if (kind !== 'forward' && kind !== 'barrier' && kind !== 'trades') throw new InvalidInputError(`kind must be forward, barrier or trades, got ${JSON.stringify(kind)}`);
  const fromMs = parseTimeInput(input.from, 'from');
  const toMs = parseTimeInput(input.to, 'to');
  if (!(fromMs < toMs)) throw new InvalidInputError(`from (${input.from}) must be before to (${input.to})`);
  const every = input.every ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new InvalidInputError('every must be an integer >= 1');
  const horizon = input.horizon ?? 0;
  if (kind !== 'trades' && (!Number.isInteger(horizon) || horizon < 1)) throw new InvalidInputError('horizon (bars) must be an integer >= 1');
  if (kind === 'barrier') {
    for (const f of ['takeProfitPct', 'stopLossPct'] as const) {
      const v = input[f];
      if (typeof v !== 'number' || !(v > 0) || (f === 'stopLossPct' && v >= 100)) throw new InvalidInputError(`${f} (percent) must be a number > 0 for barrier labels`);
    }
  }
  return {
    symbols: [...new Set(symbols)].sort(), interval, kind, fromMs, toMs, every, horizon,
    takeProfitPct: input.takeProfitPct, stopLossPct: input.stopLossPct, stream: input.stream ?? DEFAULT_TRADE_STREAM,
    includeSimulated: input.includeSimulated ?? true,
  };
}
