// binance.planBackfill: splits symbols × [from, to] into chunks, one activity each, so a pipeline
// can fan a multi-year, multi-symbol backfill out (`forEach`) and continue as new between chunks.
import type { ActivityFn } from '../context';
import { InvalidInputError } from '../errors';
import type { ActivitySpec } from '../../dsl/activity-spec';
import { chunkRange, chunkRangeByMonths, monthsForBars } from './chunk-range';
import { BINANCE_INTERVALS } from './specs';

export interface PlanBackfillInput {
  symbols: string[];
  interval: string;
  from: string | number;
  to: string | number;
  /**
   * Bars per chunk. Without it, chunks are whole calendar months (UTC), as many as make about
   * 43,200 bars (one month of 1m bars, four of 5m, 58 of 1h): a past month is then one monthly
   * kline archive rather than the daily archives of two months' edges.
   */
  barsPerChunk?: number;
}

export interface BackfillChunk {
  symbol: string;
  interval: string;
  from: string;
  to: string;
  chunk: number;
}

const DEFAULT_BARS = 43_200;

export const planBackfill: ActivityFn<PlanBackfillInput, { chunks: BackfillChunk[]; count: number; bars: number }> = async (input) => {
  if (!Array.isArray(input.symbols) || input.symbols.length === 0) throw new InvalidInputError('symbols must be a non-empty list');
  const chunks: BackfillChunk[] = [];
  let bars = 0;
  for (const symbol of input.symbols) {
    const parts =
      input.barsPerChunk === undefined
        ? chunkRangeByMonths(input.from, input.to, input.interval, monthsForBars(input.interval, DEFAULT_BARS))
        : chunkRange(input.from, input.to, input.interval, input.barsPerChunk);
    parts.forEach((c, i) => {
      chunks.push({ symbol, interval: input.interval, from: new Date(c.from).toISOString(), to: new Date(c.to).toISOString(), chunk: i });
      bars += c.bars;
    });
  }
  return { chunks, count: chunks.length, bars };
};

export const planBackfillSpec: ActivitySpec = {
  name: 'binance.planBackfill',
  description: 'Splits symbols × [from, to] into backfill chunks (a list for forEach of binance.backfillKlines).',
  input: {
    type: 'object',
    properties: {
      symbols: { type: 'array', items: { type: 'string', pattern: '^[A-Z0-9]{5,20}$' }, minItems: 1 },
      interval: { type: 'string', enum: BINANCE_INTERVALS },
      from: { type: 'string', description: 'ISO date/date-time (UTC) or epoch ms' },
      to: { type: 'string', description: 'ISO date/date-time (UTC) or epoch ms; bars whose open time is in [from, to]' },
      barsPerChunk: { type: 'integer', minimum: 1, description: 'bars per chunk (default: whole calendar months, about 43200 bars: one month of 1m bars)' },
    },
    required: ['symbols', 'interval', 'from', 'to'],
    additionalProperties: false,
  },
  outputs: ['chunks', 'count', 'bars'],
};
