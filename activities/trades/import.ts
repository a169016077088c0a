// Imports closed trades from a JSON-lines or CSV file (see trade-file.ts) into the trade stream.
// All-or-nothing validation: every line is checked first, and one bad line aborts the import
// with every bad line's number and reason, before anything is written.
// Idempotent by trade id: a trade whose id is already in the stream, in the id set
// (`<stream>:ids`, which also remembers trimmed trades) or in its day's archive is skipped.
// A file without an `id` field gets tradeId(source, symbol, entry, exit); `simulated` defaults
// to false. Writes go in batches, each a Lua script that adds the id to the set and XADDs only if
// the id was new, so concurrent imports of the same file never duplicate a trade. If Redis dies
// mid-import, some batches are in: re-running the import completes it.
import type Redis from 'ioredis';
import { InvalidInputError } from '../errors';
import { dayOf, readArchivedDay } from './archive-files';
import { readWholeStream } from './stream-scan';
import { readTradeFile } from './trade-file';
import {
  DEFAULT_TRADE_STREAM, fieldsToObject, parseTrade, TRADE_FIELDS, tradeId, tradeIdSetKey, tradeToFields, type Trade,
} from './trade';

export interface ImportOptions {
  redis: Redis;
  stream?: string;
  /** With it, trades already in a day archive are skipped too. */
  dataDir?: string;
}

export interface ImportResult {
  file: string;
  read: number;
  imported: number;
  skippedDuplicates: number;
}

export interface LineError {
  line: number;
  reason: string;
}

export class ImportValidationError extends InvalidInputError {
  constructor(readonly file: string, readonly errors: LineError[]) {
    super(
      `${file}: ${errors.length} bad line(s), nothing imported:\n` +
        errors.slice(0, 20).map((e) => `  line ${e.line}: ${e.reason}`).join('\n') +
        (errors.length > 20 ? `\n  … and ${errors.length - 20} more` : ''),
      { errors: errors.slice(0, 100) },
    );
  }
}

/** Validates every line of `file`; throws ImportValidationError listing all bad lines. */
export function readValidTrades(file: string): Trade[] {
  const errors: LineError[] = [];
  const trades: Trade[] = [];
  for (const r of readTradeFile(file)) {
    if (!r.record) { errors.push({ line: r.line, reason: r.error! }); continue; }
    const rec = { ...r.record };
    if (rec.simulated === undefined || rec.simulated === '') rec.simulated = false;
    if (rec.id === undefined || rec.id === '') {
      const probe = parseTrade({ ...rec, id: 'probe' });
      if (!probe.ok) { errors.push({ line: r.line, reason: probe.reason }); continue; }
      rec.id = tradeId(probe.trade);
    } else if (typeof rec.id === 'number') rec.id = String(rec.id);
    const parsed = parseTrade(rec);
    if (parsed.ok) trades.push(parsed.trade);
    else errors.push({ line: r.line, reason: parsed.reason });
  }
  if (errors.length) throw new ImportValidationError(file, errors);
  return trades;
}

const BATCH = 500;
// Each trade is TRADE_FIELDS as [name, value] pairs; `id` comes first, so its value is ARGV[i + 1].
const ARGS_PER_TRADE = TRADE_FIELDS.length * 2;
const ADD_IF_NEW = `
local n = 0
for i = 1, #ARGV, ${ARGS_PER_TRADE} do
  if redis.call('SADD', KEYS[2], ARGV[i + 1]) == 1 then
    redis.call('XADD', KEYS[1], '*', unpack(ARGV, i, i + ${ARGS_PER_TRADE - 1}))
    n = n + 1
  end
end
return n`;

export async function importTrades(file: string, opts: ImportOptions): Promise<ImportResult> {
  const { redis } = opts;
  const stream = opts.stream ?? DEFAULT_TRADE_STREAM;
  const trades = readValidTrades(file);

  const known = await knownIds(redis, stream, trades, opts.dataDir);
  const fresh: Trade[] = [];
  for (const t of trades) {
    if (known.has(t.id)) continue;
    known.add(t.id); // a trade twice in the file is imported once
    fresh.push(t);
  }
  let imported = 0;
  for (let i = 0; i < fresh.length; i += BATCH) {
    const args = fresh.slice(i, i + BATCH).flatMap(tradeToFields);
    imported += Number(await redis.eval(ADD_IF_NEW, 2, stream, tradeIdSetKey(stream), ...args));
  }
  return { file, read: trades.length, imported, skippedDuplicates: trades.length - imported };
}

async function knownIds(redis: Redis, stream: string, trades: Trade[], dataDir?: string): Promise<Set<string>> {
  const known = new Set<string>();
  const ids = [...new Set(trades.map((t) => t.id))];
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const flags = await redis.smismember(tradeIdSetKey(stream), ...chunk);
    chunk.forEach((id, j) => flags[j] && known.add(id));
  }
  for (const e of await readWholeStream(redis, stream)) {
    const id = fieldsToObject(e.fields).id;
    if (id) known.add(id);
  }
  if (dataDir) {
    for (const day of new Set(trades.map((t) => dayOf(t.exit_time_ms)))) {
      for (const t of readArchivedDay(dataDir, day, stream)) known.add(t.id);
    }
  }
  return known;
}
