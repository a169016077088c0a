// klines.consume: a bounded run of the `market.klines` consumer group. The bot pushes finished 1m
// bars (bar-entry.ts); each valid one is written at once into the consumer's own copy
// (`klines.bot:*`) and into the main kline store unless that holds Binance's bar (live-write.ts).
// Policy (see activities/klines/README.md):
//   - in-progress updates (closed=false) are skipped: only finished minutes are written;
//   - a bar pushed before its minute ended (entry id time + 1 s < minute end) is invalid;
//   - a bar identical to the one stored is a duplicate (nothing written); a different bar for a
//     minute already stored is a revision: the latest wins in the consumer's copy (and in the main
//     store if the main store's bar was this consumer's);
//   - a bar for a minute older than one already seen for its symbol is out of order: written
//     anyway (it is complete), and counted;
//   - malformed entries go to `market.klines.deadletter` with the reason.
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import type { Kline } from '../binance/kline';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';
import { parseBarEntry } from './bar-entry';
import { durationInput } from './durations';
import { validateStreamName, validateSymbols } from './from-ticks';
import { addCounts, LiveWriter, zeroCounts, type LiveWriteCounts } from './live-write';
import { MINUTE_MS } from './minute-bars';
import { keysOf, runStreamConsumer, type CommitWork, type DeadLetter, type StreamEntry, type StreamHandler } from './stream-consumer';

export const BOT_NAMESPACE = 'klines.bot';
const PUSH_TOLERANCE_MS = 1000;

export interface ConsumeInput {
  stream?: string;
  group?: string;
  symbols?: string[];
  runFor?: string | number;
  idle?: string | number;
  batch?: number;
}

/** Counts of committed work: entries = bars + duplicates + superseded + inProgress + invalid + otherSymbols + deleted. */
export interface BarCounts {
  entries: number;
  /** Bars that were new or changed in the consumer's copy. */
  bars: number;
  /** Finished bars received that were marked simulated. */
  simulatedBars: number;
  /** Bars identical to the stored copy or to another in the same read. */
  duplicates: number;
  revised: number;
  /** Two versions of a minute in one read: the earlier was replaced before being written. */
  superseded: number;
  outOfOrder: number;
  inProgress: number;
  invalid: number;
  otherSymbols: number;
  deleted: number;
}

const zeroBarCounts = (): BarCounts => ({
  entries: 0, bars: 0, simulatedBars: 0, duplicates: 0, revised: 0, superseded: 0, outOfOrder: 0, inProgress: 0, invalid: 0, otherSymbols: 0, deleted: 0,
});

interface ReadyBar {
  id: string;
  kline: Kline;
  simulated: boolean;
}

const iso = (t: number) => new Date(t).toISOString();
const sameBar = (a: Kline, b: Kline) => (Object.keys(a) as (keyof Kline)[]).every((k) => a[k] === b[k]);

class BarHandler implements StreamHandler {
  private ready = new Map<string, Map<number, ReadyBar>>();
  private ack: string[] = [];
  private dead: DeadLetter[] = [];
  private staged = zeroBarCounts();
  private latest = new Map<string, number>();
  firstBar = Infinity;
  lastBar = -Infinity;
  readonly barsBySymbol = new Map<string, number>();

  constructor(private readonly writer: LiveWriter, private readonly symbols: Set<string> | undefined, readonly counts: BarCounts & LiveWriteCounts) {}

  restore(): void {}

  onEntries(entries: StreamEntry[]): void {
    const c = this.staged;
    for (const e of entries) {
      if (e.fields === null) {
        c.deleted++;
        this.ack.push(e.id);
        continue;
      }
      const p = parseBarEntry(e.fields);
      if (p.kind === 'invalid') {
        c.invalid++;
        this.dead.push({ id: e.id, reason: `invalid: ${p.reason}`, fields: e.fields });
        this.ack.push(e.id);
        continue;
      }
      if (p.kind === 'inProgress') {
        c.inProgress++;
        this.ack.push(e.id);
        continue;
      }
      if (this.symbols && !this.symbols.has(p.symbol)) {
        c.otherSymbols++;
        this.ack.push(e.id);
        continue;
      }
      const pushedAt = Number(e.id.slice(0, e.id.indexOf('-')));
      const end = p.kline.openTime + MINUTE_MS;
      if (pushedAt + PUSH_TOLERANCE_MS < end) {
        c.invalid++;
        this.dead.push({ id: e.id, reason: `invalid: pushed at ${iso(pushedAt)}, before its minute ended (${iso(end)})`, fields: e.fields });
        this.ack.push(e.id);
        continue;
      }
      if (p.simulated) c.simulatedBars++;
      const seen = this.latest.get(p.symbol) ?? -Infinity;
      if (p.kline.openTime < seen) c.outOfOrder++;
      else this.latest.set(p.symbol, p.kline.openTime);
      let bars = this.ready.get(p.symbol);
      if (!bars) this.ready.set(p.symbol, (bars = new Map()));
      const prev = bars.get(p.kline.openTime);
      if (prev) {
        if (sameBar(prev.kline, p.kline)) c.duplicates++;
        else c.superseded++;
        this.ack.push(prev.id);
      }
      bars.set(p.kline.openTime, { id: e.id, kline: p.kline, simulated: p.simulated });
    }
  }

  takeCommit(): CommitWork | undefined {
    if (this.ready.size === 0 && this.ack.length === 0 && this.dead.length === 0) return undefined;
    const ready = this.ready;
    const list = [...ready.values()].flatMap((m) => [...m.values()]);
    const ack = [...this.ack, ...list.map((b) => b.id)];
    const dead = this.dead;
    const staged = this.staged;
    staged.entries = ack.length;
    this.ready = new Map();
    this.ack = [];
    this.dead = [];
    this.staged = zeroBarCounts();
    const chunksBySymbol: Array<[string, number]> = [];
    return {
      ack,
      deadLetters: dead,
      queue: (multi: ChainableCommander) => {
        let n = 0;
        for (const [symbol, bars] of ready) {
          const k = this.writer.queue(multi, symbol, [...bars.values()].map((b) => b.kline));
          chunksBySymbol.push([symbol, k]);
          n += k;
        }
        return n;
      },
      committed: (replies) => {
        let at = 0;
        for (const [symbol, k] of chunksBySymbol) {
          const written = zeroCounts();
          for (const r of replies.slice(at, at + k)) addCounts(written, LiveWriter.parse(r));
          at += k;
          addCounts(this.counts, written);
          // Bars identical to the stored copy changed nothing (duplicates); stored ones that differed were revised.
          this.counts.bars += written.liveWritten;
          this.counts.duplicates += ready.get(symbol)!.size - written.liveWritten;
          this.counts.revised += written.liveWritten - written.liveAdded;
          if (written.liveWritten) this.barsBySymbol.set(symbol, (this.barsBySymbol.get(symbol) ?? 0) + written.liveWritten);
        }
        for (const k of Object.keys(staged) as (keyof BarCounts)[]) this.counts[k] += staged[k];
        for (const bars of ready.values()) {
          for (const t of bars.keys()) {
            this.firstBar = Math.min(this.firstBar, t);
            this.lastBar = Math.max(this.lastBar, t);
          }
        }
      },
    };
  }

  state(): Record<string, string> {
    return {};
  }
}

export interface ConsumeResult extends BarCounts, LiveWriteCounts {
  stream: string;
  group: string;
  firstBar: string | null;
  lastBar: string | null;
  barsBySymbol: Record<string, number>;
  pending: number;
  lastDeliveredId: string;
  lostToTrim: boolean;
  stoppedBecause: string;
  durationMs: number;
  deadLetterStream: string;
  storeKeys: string[];
  liveKeys: string[];
  summary: string;
}

export async function klinesConsume(input: ConsumeInput, ctx: ActivityContext, deps: { redis: Redis }): Promise<ConsumeResult> {
  if (!input || typeof input !== 'object') throw new InvalidInputError('input must be an object');
  const stream = validateStreamName(input.stream, 'stream', 'market.klines');
  const group = validateStreamName(input.group, 'group', 'klines');
  const symbols = validateSymbols(input.symbols);
  const runForMs = durationInput(input.runFor, 'runFor', 4 * 60_000);
  const idleMs = input.idle === undefined ? undefined : durationInput(input.idle, 'idle');
  const batch = input.batch ?? 1000;
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) throw new InvalidInputError(`batch must be an integer in [1, 100000], got ${batch}`);

  const key = `${stream}|${group}`;
  const resumed = ctx.resumeDetails<{ key: string; counts: BarCounts & LiveWriteCounts }>();
  const counts = resumed?.key === key ? { ...resumed.counts } : { ...zeroBarCounts(), ...zeroCounts() };
  const { run, handler } = await runStreamConsumer(
    deps.redis,
    { stream, group, batch, runForMs, idleMs },
    (conn) => new BarHandler(new LiveWriter(conn, BOT_NAMESPACE), symbols, counts),
    ctx,
    ({ lastDeliveredId }) => ctx.heartbeat({ key, lastDeliveredId, counts: { ...counts } }),
  );
  if (run.stoppedBecause === 'cancelled') throw ctx.signal.reason ?? new Error('klines.consume cancelled');
  const symbolsSeen = [...handler.barsBySymbol.keys()].sort();
  const result: ConsumeResult = {
    stream,
    group,
    ...counts,
    firstBar: Number.isFinite(handler.firstBar) ? iso(handler.firstBar) : null,
    lastBar: Number.isFinite(handler.lastBar) ? iso(handler.lastBar) : null,
    barsBySymbol: Object.assign(Object.create(null), Object.fromEntries(handler.barsBySymbol)),
    pending: run.pending,
    lastDeliveredId: run.lastDeliveredId,
    lostToTrim: run.lostToTrim,
    stoppedBecause: run.stoppedBecause,
    durationMs: run.durationMs,
    deadLetterStream: keysOf(stream, group).deadLetters,
    storeKeys: symbolsSeen.map((s) => `klines:${s}:1m`),
    liveKeys: symbolsSeen.map((s) => `${BOT_NAMESPACE}:${s}:1m`),
    summary: '',
  };
  result.summary =
    `${stream} → kline store (group ${group}): ${counts.entries} entries, ${counts.bars} bars` +
    `${counts.simulatedBars ? ` (${counts.simulatedBars} SIMULATED)` : ''} (${counts.mainWritten} into the kline store; ${counts.kept} minutes there already held another source's bar, kept); ` +
    `duplicates ${counts.duplicates}, revised ${counts.revised}, out of order ${counts.outOfOrder}, in progress skipped ${counts.inProgress}, ` +
    `invalid ${counts.invalid} (kept in ${result.deadLetterStream}); stopped: ${run.stoppedBecause}` +
    (run.lostToTrim ? '; WARNING: the stream trimmed entries this group never read' : '');
  ctx.log(result.summary);
  return result;
}
