// Picks the stream entries that belong to one UTC day (by exit time) and sorts out the bad ones.
import { fieldsToObject, parseTrade, streamIdMs, tradeToJson, type Trade } from './trade';

export interface DayEntry {
  streamId: string;
  trade: Trade;
}

export interface Malformed {
  streamId: string;
  reason: string;
}

/**
 * Collects, page by page, the stream entries of one UTC day [startMs, endMs) (memory: that day's
 * entries only). `good`: valid entries, duplicates of the same trade included (so trimming
 * removes them too). `malformed`: invalid entries of the day, plus entries reusing a trade id
 * with different content. An invalid entry belongs to the day of its exit time when that field
 * is readable, else to the day of its stream id (insertion time), so each malformed entry is
 * reported by exactly one day.
 */
export class DayEntryCollector {
  readonly good: DayEntry[] = [];
  readonly malformed: Malformed[] = [];
  private readonly known = new Map<string, { json: string; where: string }>();

  constructor(private readonly range: { startMs: number; endMs: number }, archived: Trade[]) {
    for (const t of archived) this.known.set(t.id, { json: tradeToJson(t), where: 'the archived trade' });
  }

  add(entries: Array<{ id: string; fields: string[] }>): void {
    const inDay = (ms: number) => ms >= this.range.startMs && ms < this.range.endMs;
    for (const { id: streamId, fields } of entries) {
      const raw = fieldsToObject(fields);
      const parsed = parseTrade(raw);
      if (!parsed.ok) {
        const exit = Number(raw.exit_time_ms);
        const attributedMs = raw.exit_time_ms && Number.isSafeInteger(exit) ? exit : streamIdMs(streamId);
        if (inDay(attributedMs)) this.malformed.push({ streamId, reason: parsed.reason });
        continue;
      }
      const trade = parsed.trade;
      if (!inDay(trade.exit_time_ms)) continue;
      const json = tradeToJson(trade);
      const seen = this.known.get(trade.id);
      if (seen && seen.json !== json) {
        this.malformed.push({ streamId, reason: `trade id ${trade.id} reused with different content than ${seen.where}` });
        continue;
      }
      if (!seen) this.known.set(trade.id, { json, where: `stream entry ${streamId}` });
      this.good.push({ streamId, trade });
    }
  }
}
