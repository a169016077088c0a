// What the DSL knows about the binance activities (pure data).
import type { ActivitySpec } from '../../dsl/activity-spec';
import { INTERVAL_MS } from './kline';

export const BINANCE_INTERVALS = Object.keys(INTERVAL_MS);

const time = (what: string) => ({
  description: `${what}: epoch ms or ISO date/date-time (UTC); bars whose open time is in [from, to]`,
  oneOf: [
    { type: 'integer' as const, minimum: 0 },
    { type: 'string' as const, pattern: '^(\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?|\\d{1,16})$' },
  ],
});

export const backfillKlinesSpec: ActivitySpec = {
  name: 'binance.backfillKlines',
  description:
    'Fetches the klines of [from, to] that Redis does not hold yet from Binance — bulk archives for past days, REST ' +
    '(config.binanceBaseUrl, within the REQUEST_WEIGHT limit) for the rest — stores them (klines:SYMBOL:INTERVAL:*) and ' +
    'records exchange gaps; re-runs fetch nothing.',
  input: {
    type: 'object',
    properties: {
      symbol: { type: 'string', pattern: '^[A-Z0-9]{5,20}$', description: 'e.g. BTCUSDT' },
      interval: { type: 'string', enum: BINANCE_INTERVALS },
      from: time('start'),
      to: time('end'),
      chunk: { type: 'integer', minimum: 0, description: 'index of this chunk (see chunkRange), echoed in the output' },
      concurrency: { type: 'integer', minimum: 1, maximum: 8, default: 4, description: 'archives or pages in flight at once' },
      archives: {
        type: 'boolean',
        default: true,
        description: 'Take past days from the bulk kline archives (data.binance.vision layout: monthly zips for whole past months, daily ones otherwise, sha256-checked); REST for today and whatever an archive lacks. false: REST only',
      },
    },
    required: ['symbol', 'interval', 'from', 'to'],
    additionalProperties: false,
  },
  outputs: ['symbol', 'interval', 'from', 'to', 'fetched', 'written', 'skipped', 'gaps', 'gapBars', 'pages', 'archives', 'archiveFallbacks', 'missing', 'complete', 'storeKey'],
};

export const binanceSpecs: ActivitySpec[] = [backfillKlinesSpec];
