// What the DSL knows about the funding-rate activities (pure data).
import type { ActivitySpec, JsonSchema } from '../../dsl/activity-spec';

const time = (what: string): JsonSchema => ({
  oneOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }],
  description: `${what}: ISO date/date-time (UTC) or epoch ms`,
});

export const fundingSpecs: ActivitySpec[] = [
  {
    name: 'funding.backfillRates',
    description:
      'Fetches the funding rate history of [from, to] (GET /fapi/v1/fundingRate on config.binanceBaseUrl) into Redis (funding:SYMBOL); ' +
      'idempotent. The local server\'s rates are SIMULATED (derived from spot klines) and the output says so.',
    input: {
      type: 'object',
      properties: {
        symbols: { type: 'array', items: { type: 'string', pattern: '^[A-Z0-9]{5,20}$' }, minItems: 1 },
        from: time('First settlement'),
        to: time('Last settlement'),
      },
      required: ['symbols', 'from', 'to'],
      additionalProperties: false,
    },
    outputs: ['from', 'to', 'fetched', 'stored', 'simulated', 'symbols', 'keys', 'summary'],
  },
  {
    name: 'funding.addFeatures',
    description:
      'Adds funding_rate (last settlement at or before each row) and funding_rate_mean_N to a dataset, as a new dataset file; ' +
      'rows without recent funding history are dropped and counted.',
    input: {
      type: 'object',
      properties: {
        datasetFile: { type: 'string', format: 'path', description: 'Arrow dataset from features.build' },
        window: { type: 'integer', minimum: 1, maximum: 100, default: 3, description: 'Settlements averaged in funding_rate_mean_N' },
        maxAgeHours: { type: 'number', minimum: 1, default: 24, description: 'Oldest settlement a row may use' },
      },
      required: ['datasetFile'],
      additionalProperties: false,
    },
    outputs: ['datasetFile', 'metaFile', 'hash', 'rows', 'features', 'added', 'dropped', 'simulated', 'summary'],
  },
];
