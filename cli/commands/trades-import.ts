// `client trades import <file> [--stream S]`: loads closed trades (JSON lines or CSV) into the
// trade stream, all-or-nothing and idempotent by trade id (see activities/trades/import.ts).
import path from 'node:path';
import Redis from 'ioredis';
import { importTrades, ImportValidationError } from '../../activities/trades/import';
import { DEFAULT_TRADE_STREAM } from '../../activities/trades/trade';
import { flagString } from '../args';
import { printJson, type Command } from '../command';

export const tradesImportCommand: Command = {
  name: 'trades import',
  args: '<file.jsonl|file.csv>',
  positionals: { min: 1, max: 1 },
  summary: 'load closed trades (JSON lines or CSV) into the trade stream',
  details: 'Every line is checked first; one bad line aborts the import (exit 1) listing every bad line.\nTrades already in the stream, its id set or a day archive are skipped.',
  flags: [{ name: 'stream', type: 'string', value: 'NAME', help: `Redis stream (default ${DEFAULT_TRADE_STREAM})` }],
  async run({ args, config, json }) {
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
    try {
      const r = await importTrades(path.resolve(args.positionals[0]), { redis, stream: flagString(args, 'stream'), dataDir: config.dataDir });
      if (json) printJson(r);
      else console.log(`${r.file}: read ${r.read}, imported ${r.imported}, skipped-duplicates ${r.skippedDuplicates}`);
      return 0;
    } catch (e) {
      if (e instanceof ImportValidationError) {
        if (json) printJson({ file: e.file, imported: 0, errors: e.errors });
        console.error(e.message);
        return 1;
      }
      throw e;
    } finally {
      redis.disconnect();
    }
  },
};
