// Writes bars a live consumer built into two stores of the same format (kline-store.ts):
//   - its own copy (namespace `klines.ticks` or `klines.bot`), always: what reconciliation reads;
//   - the main store (`klines`), which every stage reads, only where the main store has no bar
//     for that minute or holds the one this consumer wrote before (a revision). A bar that came
//     from Binance (a backfill or reconciliation) is never overwritten by a live one.
// One Lua script per chunk decides record by record, atomically, so a backfill writing the same
// minutes at the same time cannot be overwritten between a check and a write. The commands are
// queued on a caller's MULTI, so bars, stream acknowledgements and consumer state commit together.
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import type { Kline } from '../binance/kline';
import { KlineStore } from '../binance/kline-store';
import { RECORD_BYTES } from '../binance/kline-codec';

// KEYS: main chunk, main counts, live chunk, live counts. ARGV: chunk id, then (offset, records).
// Returns {mainWritten, mainAdded, liveWritten, liveAdded, kept}: kept = main had a bar that was
// not ours, left alone.
const LIVE_WRITE_LUA = `
local rec = ${RECORD_BYTES}
local function absent(r) return #r < rec or string.sub(r, rec - 7, rec) == string.rep('\\0', 8) end
local mw, ma, lw, la, kept = 0, 0, 0, 0, 0
for i = 2, #ARGV, 2 do
  local off = tonumber(ARGV[i])
  local new = ARGV[i + 1]
  local oldMain = redis.call('GETRANGE', KEYS[1], off, off + #new - 1)
  local oldLive = redis.call('GETRANGE', KEYS[3], off, off + #new - 1)
  for a = 1, #new, rec do
    local n = string.sub(new, a, a + rec - 1)
    local m = string.sub(oldMain, a, a + rec - 1)
    local l = string.sub(oldLive, a, a + rec - 1)
    local at = off + a - 1
    if l ~= n then
      redis.call('SETRANGE', KEYS[3], at, n)
      lw = lw + 1
      if absent(l) then la = la + 1 end
    end
    if absent(m) or (m == l and m ~= n) then
      redis.call('SETRANGE', KEYS[1], at, n)
      mw = mw + 1
      if absent(m) then ma = ma + 1 end
    elseif m ~= n and m ~= l then
      kept = kept + 1
    end
  end
end
if ma > 0 then redis.call('HINCRBY', KEYS[2], ARGV[1], ma) end
if la > 0 then redis.call('HINCRBY', KEYS[4], ARGV[1], la) end
return {mw, ma, lw, la, kept}`;

export interface LiveWriteCounts {
  /** Main-store records written (new or our revisions) and the new ones among them. */
  mainWritten: number;
  mainAdded: number;
  /** Live-copy records written (new or changed) and the new ones among them. */
  liveWritten: number;
  liveAdded: number;
  /** Main-store bars from another source (Binance) left as they were. */
  kept: number;
}

export const zeroCounts = (): LiveWriteCounts => ({ mainWritten: 0, mainAdded: 0, liveWritten: 0, liveAdded: 0, kept: 0 });

export function addCounts(a: LiveWriteCounts, b: LiveWriteCounts): void {
  a.mainWritten += b.mainWritten;
  a.mainAdded += b.mainAdded;
  a.liveWritten += b.liveWritten;
  a.liveAdded += b.liveAdded;
  a.kept += b.kept;
}

export class LiveWriter {
  readonly main: KlineStore;
  readonly live: KlineStore;

  constructor(redis: Redis, liveNamespace: string) {
    this.main = new KlineStore(redis);
    this.live = new KlineStore(redis, liveNamespace);
    if (!(redis as any).klineLiveWrite) redis.defineCommand('klineLiveWrite', { numberOfKeys: 4, lua: LIVE_WRITE_LUA });
  }

  /** Queues the writes of 1m bars of one symbol; returns how many commands were queued. */
  queue(multi: ChainableCommander, symbol: string, bars: Kline[]): number {
    if (bars.length === 0) return 0;
    const main = this.main.chunkRuns(symbol, '1m', bars);
    const liveCountsKey = `${this.live.key(symbol, '1m')}:counts`;
    for (const c of main) {
      const liveKey = this.live.key(symbol, '1m') + c.key.slice(this.main.key(symbol, '1m').length);
      (multi as any).klineLiveWrite(c.key, c.countsKey, liveKey, liveCountsKey, c.id, ...c.runs.flatMap(([off, buf]) => [String(off), buf]));
    }
    return main.length;
  }

  static parse(reply: unknown): LiveWriteCounts {
    const [mainWritten, mainAdded, liveWritten, liveAdded, kept] = (reply as number[]).map(Number);
    return { mainWritten, mainAdded, liveWritten, liveAdded, kept };
  }
}
