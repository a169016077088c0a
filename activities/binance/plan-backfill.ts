// binance.planBackfill: splits symbols × [from, to] into chunks, one activity each, so a pipeline
// can fan a multi-year, multi-symbol backfill out (`forEach`) and continue as new between chunks.
import type { ActivityFn } from '../context';
import { InvalidInputError } from '../errors';
import type { ActivitySpec } from '../../dsl/activity-spec';
import { chunkRange } from './chunk-range';
import { BINANCE_INTERVALS } from './specs';

export interface PlanBackfillInput {
  symbols: string[];
  interval: string;
  from: string | number;
  to: string | number;
  /** Bars per chunk (default 43,200: thirty days of 1m bars, 44 pages). */
  barsPerChunk?: number;
}

export interface BackfillChunk {
  symbol: string;
  interval: string;
  from: string;
  to: string;
  chunk: number;
}

export const planBackfill: ActivityFn<PlanBackfillInput, { chunks: BackfillChunk[]; count: number; bars: number }> = async (input) => {
  if (!Array.isArray(input.symbols) || input.symbols.length === 0) throw new InvalidInputError('symbols must be a non-empty list');
  const chunks: BackfillChunk[] = [];
  let bars = 0;
  for (const symbol of input.symbols) {
    chunkRange(input.from, input.to, input.interval, input.barsPerChunk ?? 43_200).forEach((c, i) => {
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
      barsPerChunk: { type: 'integer', minimum: 1, description: 'bars per chunk (default 43200)' },
    },
    required: ['symbols', 'interval', 'from', 'to'],
    additionalProperties: false,
  },
  outputs: ['chunks', 'count', 'bars'],
};
