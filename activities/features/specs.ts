// What the DSL knows about features.build (pure data).
import { BINANCE_INTERVALS } from '../binance/specs';
import type { ActivitySpec, JsonSchema } from '../../dsl/activity-spec';

const period = (def: number, min = 1): JsonSchema => ({ type: 'integer', minimum: min, default: def });
const group = (properties: Record<string, JsonSchema>, description: string): JsonSchema => ({
  oneOf: [{ type: 'object', properties, additionalProperties: false }, { type: 'boolean', enum: [false] }],
  description: `${description}; false or absent turns it off when a features block is given`,
});

const relative: JsonSchema = {
  type: 'boolean',
  default: false,
  description: 'Divide by the bar close (unit-free, comparable across symbols); columns get a rel_ infix',
};

export const featureConfigSchema: JsonSchema = {
  type: 'object',
  description: 'Which features to compute and with which periods. Omit for every default.',
  properties: {
    rsi: group({ period: period(14) }, 'RSI (Wilder), 0–100'),
    macd: group({ fast: period(12), slow: period(26, 2), signal: period(9), relative }, 'MACD line, signal and histogram (EMA)'),
    bollinger: group({ period: period(20, 2), stdDev: { type: 'number', minimum: 0, default: 2 } }, 'Bollinger %B (0.5 on a flat window) and bandwidth'),
    volatility: group({ period: period(20, 2) }, 'SD of 1-bar log returns'),
    atr: group({ period: period(14), relative }, 'Average true range (Wilder), in price units unless relative'),
    returns: group({ periods: { type: 'array', items: period(1), minItems: 1, default: [1, 5, 15, 60] } }, 'Log returns over N bars'),
    volumeZ: group({ period: period(20, 2) }, 'Volume z-score'),
    calendar: { type: 'boolean', description: 'Hour-of-day and day-of-week sin/cos of the sample time (UTC)' },
  },
  additionalProperties: false,
};

export const featuresSpecs: ActivitySpec[] = [
  {
    name: 'features.build',
    description:
      'Builds a dataset (Arrow IPC file + meta.json, named by content hash) from a samples file and stored klines: ' +
      'indicators computed once per symbol series, each sample using only bars closed before its time; ' +
      'reports every dropped sample with its reason.',
    input: {
      type: 'object',
      properties: {
        samplesFile: { type: 'string', format: 'path', description: 'Gzip JSON lines {symbol, time, label, kind, horizonMs} from the labels stage' },
        interval: { type: 'string', enum: BINANCE_INTERVALS, description: 'Kline interval' },
        features: featureConfigSchema,
        backfillMissing: { type: 'boolean', default: false, description: 'Backfill bars missing from the store before computing' },
        examplesLimit: { type: 'integer', minimum: 0, default: 20, description: 'Dropped samples listed in the validity report' },
      },
      required: ['samplesFile', 'interval'],
      additionalProperties: false,
    },
    outputs: ['datasetFile', 'metaFile', 'hash', 'rows', 'features', 'warmupBars', 'settleBars', 'validity'],
  },
];
