// What the DSL knows about the live-klines activities (pure data).
import type { ActivitySpec, JsonSchema } from '../../dsl/activity-spec';

const symbols = (what: string): JsonSchema => ({
  type: 'array',
  items: { type: 'string', pattern: '^[A-Z0-9]{5,20}$' },
  minItems: 1,
  description: what,
});
const streamName = (def: string): JsonSchema => ({ type: 'string', pattern: '^[\\w.:-]{1,200}$', default: def, description: 'Redis stream' });
const group: JsonSchema = { type: 'string', pattern: '^[\\w.:-]{1,200}$', default: 'klines', description: 'Consumer group (one consumer per group builds bars)' };
const duration = (what: string, def?: string): JsonSchema => ({
  oneOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }],
  description: `${what}: a duration like 2s, 4m30s, or milliseconds${def ? ` (default ${def})` : ''}`,
});
const time = (what: string): JsonSchema => ({
  oneOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }],
  description: `${what}: ISO date/date-time (UTC) or epoch ms`,
});
const batch: JsonSchema = { type: 'integer', minimum: 1, maximum: 100_000, default: 1000, description: 'Entries per read' };
const bounded = {
  runFor: duration('How long this run consumes before returning; what is in progress stays pending for the next run', '4m'),
  idle: duration('Return early once no new entry has arrived for this long (e.g. 3s to drain a stream and stop)'),
};
const consumerOutputs = ['stream', 'group', 'entries', 'bars', 'mainWritten', 'kept', 'invalid', 'duplicates', 'firstBar', 'lastBar', 'barsBySymbol', 'pending', 'lastDeliveredId', 'lostToTrim', 'stoppedBecause', 'deadLetterStream', 'storeKeys', 'liveKeys', 'summary'];

export const klinesSpecs: ActivitySpec[] = [
  {
    name: 'klines.fromTicks',
    notCacheable: "it consumes the stream's new entries each time it runs",
    description:
      'One bounded run of the market.tick consumer group: aggregates ticks (symbol, price, qty, time, taker side) into 1m bars ' +
      '(OHLCV, trade count, taker-buy volume), writes each bar when its minute closes into klines.ticks:* and into the kline store ' +
      "(never over a bar from Binance), acknowledges what it wrote, and keeps late, duplicate and malformed ticks in <stream>.deadletter. " +
      'Resumes after the last acknowledged entry.',
    input: {
      type: 'object',
      properties: {
        stream: streamName('market.tick'),
        group,
        symbols: symbols('Only these symbols (ticks of others are acknowledged and counted)'),
        clock: {
          type: 'string',
          enum: ['arrival', 'event'],
          default: 'arrival',
          description: "When a minute closes: 'arrival' = Redis's clock (live feeds), 'event' = the ticks' own times and watermark entries (replays)",
        },
        grace: duration('How long after its minute ends a tick may still arrive and count', '2s'),
        ...bounded,
        batch,
      },
      additionalProperties: false,
    },
    outputs: [...consumerOutputs, 'ticks', 'simulatedTicks', 'late', 'closedThrough', 'openBars', 'clock', 'graceMs'],
  },
  {
    name: 'klines.consume',
    notCacheable: "it consumes the stream's new entries each time it runs",
    description:
      'One bounded run of the market.klines consumer group: validates the finished 1m bars the bot pushes and writes them into ' +
      'klines.bot:* and into the kline store (never over a bar from Binance); in-progress updates (closed=false) are skipped, ' +
      'duplicates and revisions counted, malformed entries kept in <stream>.deadletter.',
    input: {
      type: 'object',
      properties: {
        stream: streamName('market.klines'),
        group,
        symbols: symbols('Only these symbols (bars of others are acknowledged and counted)'),
        ...bounded,
        batch,
      },
      additionalProperties: false,
    },
    outputs: [...consumerOutputs, 'simulatedBars', 'revised', 'superseded', 'outOfOrder', 'inProgress'],
  },
  {
    name: 'klines.reconcile',
    description:
      "Compares the bars a live consumer built (klines.ticks:* or klines.bot:*) with Binance's for the same minutes: bars on each side, " +
      'minutes only one side has, max |Δ| and differing bars per field; writes a JSON report and (adopt) puts Binance\'s bars into the kline store.',
    input: {
      type: 'object',
      properties: {
        symbols: symbols('Symbols to reconcile'),
        from: time('First minute'),
        to: time('Last minute'),
        source: { type: 'string', enum: ['ticks', 'bot'], default: 'ticks', description: 'Which live copy: bars from market.tick or from market.klines' },
        adopt: { type: 'boolean', default: true, description: "Write Binance's bars over the live ones in the kline store" },
      },
      required: ['symbols', 'from', 'to'],
      additionalProperties: false,
    },
    outputs: ['source', 'from', 'to', 'live', 'binance', 'both', 'liveOnly', 'binanceOnly', 'barsDiffering', 'binanceWithoutTradeStats', 'adopted', 'maxAbsDelta', 'symbols', 'reportFile', 'summary'],
  },
  {
    name: 'klines.simulateTicks',
    notCacheable: 'it adds entries to a stream each time it runs',
    description:
      'SIMULATED market.tick feed: replays the shipped real 1m klines as ticks (every entry marked simulated) whose aggregation gives ' +
      'back each bar\'s open/high/low/close/volume exactly, and its trade count and taker-buy volume where the source has them; ' +
      'the rest is synthetic (see activities/klines/README.md).',
    input: {
      type: 'object',
      properties: {
        symbols: symbols('Symbols to replay (data/klines/SYMBOL-1m.csv.gz)'),
        from: time('First minute'),
        to: time('Last minute'),
        stream: streamName('market.tick'),
        seed: { type: 'integer', default: 1, description: 'Seed of everything synthetic' },
        maxTicksPerBar: { type: 'integer', minimum: 1, maximum: 100_000, default: 5000, description: 'Cap on ticks per bar (bars with more real trades then differ in count)' },
        duplicates: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'Share of ticks sent twice (same tradeId)' },
        late: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'Share of ticks held back and sent lateBy later' },
        lateBy: duration('How far behind late ticks are sent', '2m'),
        watermark: { type: 'boolean', default: true, description: 'End with a watermark entry (closes the last minute on the event clock)' },
      },
      required: ['symbols', 'from', 'to'],
      additionalProperties: false,
    },
    outputs: ['simulated', 'stream', 'bars', 'ticks', 'entries', 'countFromSource', 'takerBuyFromSource', 'duplicatesSent', 'lateSent', 'firstTick', 'lastTick', 'watermark', 'summary'],
  },
  {
    name: 'klines.simulateBars',
    notCacheable: 'it adds entries to a stream each time it runs',
    description: 'SIMULATED market.klines feed: pushes the shipped real 1m bars as finished-bar entries (marked simulated), optionally some twice.',
    input: {
      type: 'object',
      properties: {
        symbols: symbols('Symbols to replay'),
        from: time('First minute'),
        to: time('Last minute'),
        stream: streamName('market.klines'),
        seed: { type: 'integer', default: 1 },
        duplicates: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'Share of bars sent twice' },
      },
      required: ['symbols', 'from', 'to'],
      additionalProperties: false,
    },
    outputs: ['simulated', 'stream', 'bars', 'entries', 'duplicatesSent', 'summary'],
  },
];
