// What the DSL knows about the trade activities (pure data).
import type { ActivitySpec } from '../../dsl/activity-spec';

const stream = { type: 'string', description: "Redis stream of closed trades", default: 'trade.closed' } as const;

export const tradesSpecs: ActivitySpec[] = [
  {
    name: 'trades.archiveDay',
    notCacheable: 'its result depends on what the stream holds when it runs (a deferred day is archived later)',
    description:
      'Snapshots the closed trades of one UTC day (by exit time) from the trade stream into ' +
      '<dataDir>/trades/archive/YYYY/MM/trades-DAY.jsonl.gz with a manifest (count, sha256, malformed ' +
      "entries). Idempotent ('unchanged' on a re-run); 'deferred' while trades of the day may still arrive.",
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['day'],
      properties: {
        day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: "UTC day 'YYYY-MM-DD'" },
        stream,
        force: { type: 'boolean', default: false, description: 'Archive even if the day is not closed yet (manifest complete: false)' },
        trim: { type: 'boolean', default: false, description: 'After verifying the archive, delete its entries from the stream' },
        graceMinutes: { type: 'number', minimum: 0, default: 10, description: "Minutes after the day's end during which trades of the day may still arrive" },
      },
    },
    outputs: ['day', 'status', 'reason', 'retryAfterMs', 'count', 'malformed', 'file', 'manifest', 'sha256', 'trimmed'],
  },
  {
    name: 'trades.import',
    notCacheable: 'it adds entries to the trade stream each time it runs',
    description:
      'Imports trades from a JSON-lines or CSV file into the trade stream. Every line is validated ' +
      'first (one bad line: nothing written); trades already known by id are skipped.',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'path', description: 'Path of the file, inside the project or data folder (relative paths: from the project folder)' },
        stream,
      },
    },
    outputs: ['file', 'read', 'imported', 'skippedDuplicates'],
  },
];
