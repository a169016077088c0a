// Reads closed trades with exit time in [fromMs, toMs) from the daily archives and the live
// stream together: one trade per id (the archived copy wins), sorted by exit time then id.
// Invalid stream entries are skipped here (archiveDay reports them).
import type Redis from 'ioredis';
import { DAY_MS, dayOf, readArchivedDay } from './archive-files';
import { readWholeStream } from './stream-scan';
import { compareTrades, DEFAULT_TRADE_STREAM, fieldsToObject, parseTrade, type Trade } from './trade';

export interface ReadTradesOptions {
  redis: Redis;
  dataDir: string;
  stream?: string;
  fromMs: number;
  /** Exclusive. */
  toMs: number;
}

export async function readTrades(opts: ReadTradesOptions): Promise<Trade[]> {
  const { redis, dataDir, fromMs, toMs } = opts;
  const stream = opts.stream ?? DEFAULT_TRADE_STREAM;
  const inRange = (t: Trade) => t.exit_time_ms >= fromMs && t.exit_time_ms < toMs;
  const byId = new Map<string, Trade>();
  if (toMs > fromMs) {
    for (let dayStart = Math.floor(fromMs / DAY_MS) * DAY_MS; dayStart < toMs; dayStart += DAY_MS) {
      for (const t of readArchivedDay(dataDir, dayOf(dayStart), stream)) if (inRange(t)) byId.set(t.id, t);
    }
  }
  for (const e of await readWholeStream(redis, stream)) {
    const r = parseTrade(fieldsToObject(e.fields));
    if (r.ok && inRange(r.trade) && !byId.has(r.trade.id)) byId.set(r.trade.id, r.trade);
  }
  return [...byId.values()].sort(compareTrades);
}
