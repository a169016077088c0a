// The trade activities, bound to their dependencies.
import path from 'node:path';
import type { ActivityContext, ActivityFn } from '../context';
import type { ActivityDeps } from '../deps';
import { projectRoot } from '../../config';
import { InvalidInputError } from '../errors';
import { archiveDay, type ArchiveDayInput } from './archive-day';
import { importTrades } from './import';

export function createTradesActivities(deps: ActivityDeps): Record<string, ActivityFn> {
  return {
    'trades.archiveDay': (input: ArchiveDayInput, ctx: ActivityContext) =>
      archiveDay(input, { redis: deps.redis, dataDir: deps.config.dataDir }, ctx),
    'trades.import': async (input: { file: string; stream?: string }, ctx: ActivityContext) => {
      if (typeof input?.file !== 'string' || !input.file) throw new InvalidInputError('file must be a non-empty string');
      const file = path.resolve(projectRoot, input.file);
      const r = await importTrades(file, { redis: deps.redis, stream: input.stream, dataDir: deps.config.dataDir });
      ctx.log(`trades.import ${file}: read ${r.read}, imported ${r.imported}, skipped-duplicates ${r.skippedDuplicates}`);
      return r;
    },
  };
}

export { archiveDay } from './archive-day';
export { readTrades } from './reader';
export { importTrades, ImportValidationError } from './import';
export { tradesSpecs } from './specs';
export type { Trade } from './trade';
