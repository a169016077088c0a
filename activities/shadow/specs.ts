// What the DSL knows about the shadow evaluation (pure data).
import type { ActivitySpec } from '../../dsl/activity-spec';

export const shadowSpecs: ActivitySpec[] = [
  {
    name: 'shadow.evaluateDay',
    notCacheable: "it scores the model's latest version, which changes between runs",
    description:
      "Scores one UTC day of closed trades (by exit time; archive + stream) with a published model: features at each " +
      "trade's entry built by features.build with the model's training recipe, forecast vs realised pnl. Writes " +
      '<dataDir>/models/<name>/shadow/<version>/DAY.json (dir-acc, IC, calibration, count), redraws the report, and XADDs ' +
      'model.drift when the pooled window falls below the CV estimate by more than its spread.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'day'],
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Registry name of the model' },
        day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: "UTC day 'YYYY-MM-DD'" },
        version: { type: 'string', pattern: '^v\\d{4,}$', description: 'Version to score (default: latest)' },
        stream: { type: 'string', default: 'trade.closed', description: 'Redis stream of closed trades' },
        includeSimulated: { type: 'boolean', default: true, description: 'Also score trades marked simulated' },
        backfillMissing: { type: 'boolean', default: true, description: 'Fetch bars missing from the kline store first' },
        drift: {
          type: 'object',
          additionalProperties: false,
          description: 'When live skill counts as drift',
          properties: {
            metrics: { type: 'array', items: { type: 'string', enum: ['dirAcc', 'ic'] }, minItems: 1, default: ['dirAcc', 'ic'], description: 'Metrics compared with the CV estimate (any one below fires)' },
            spreads: { type: 'number', minimum: 0, default: 1, description: 'Drift below CV mean − spreads × CV std' },
            minTrades: { type: 'integer', minimum: 1, default: 30, description: 'Fewer scored trades in the window give no verdict' },
            windowDays: { type: 'integer', minimum: 1, default: 7, description: 'Days pooled for the verdict (this one and the ones before)' },
          },
        },
        driftStream: { type: 'string', default: 'model.drift', description: 'Redis stream for drift alarms' },
      },
    },
    outputs: ['name', 'version', 'day', 'trades', 'scored', 'dropped', 'dirAcc', 'ic', 'drift', 'reason', 'driftEventId', 'entryFile'],
  },
];
