// What the DSL knows about the label activities (pure data).
import { BINANCE_INTERVALS } from '../binance/specs';
import type { ActivitySpec, JsonSchema } from '../../dsl/activity-spec';

const time: JsonSchema = { type: ['string', 'integer'], description: 'ISO date / date-time (UTC) or epoch ms' };

export const labelsSpecs: ActivitySpec[] = [
  {
    name: 'labels.build',
    description:
      'Builds training labels (simple returns) for several symbols over [from, to) and writes them as ' +
      '<dataDir>/samples/<sha256>.jsonl.gz: forward returns or barrier (take profit / stop loss / time) ' +
      'exits from klines in Redis, or realised pnl of the trades. Samples whose horizon crosses a gap are dropped and counted.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['symbols', 'interval', 'from', 'to', 'kind'],
      properties: {
        symbols: { type: 'array', items: { type: 'string', pattern: '^[A-Z0-9]+$' }, minItems: 1 },
        interval: { type: 'string', enum: BINANCE_INTERVALS },
        from: time,
        to: { ...time, description: 'Exclusive end: no label uses a bar opening at or after it' },
        kind: { type: 'string', enum: ['forward', 'barrier', 'trades'] },
        horizon: { type: 'integer', minimum: 1, description: 'Bars: forward horizon / barrier time limit (not for trades)' },
        every: { type: 'integer', minimum: 1, default: 1, description: 'One sample every N bars (on a clock-aligned grid)' },
        takeProfitPct: { type: 'number', minimum: 0, description: 'Barrier: take profit in percent (1.5 = +1.5 %)' },
        stopLossPct: { type: 'number', minimum: 0, maximum: 100, description: 'Barrier: stop loss in percent' },
        stream: { type: 'string', default: 'trade.closed', description: 'Trades: the trade stream' },
        includeSimulated: { type: 'boolean', default: true, description: 'Trades: also use trades marked simulated' },
      },
    },
    outputs: ['samplesFile', 'hash', 'count', 'bySymbol', 'dropped', 'emptySymbols'],
  },
];
