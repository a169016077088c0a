// klines.fromTicks: a bounded run of the `market.tick` consumer group. Ticks become 1m bars
// (minute-bars.ts); a bar is written when its minute closes, into the consumer's own copy
// (`klines.ticks:*`) and into the main kline store where that has no bar from Binance
// (live-write.ts); late, duplicate and malformed ticks are acknowledged and kept in the
// `market.tick.deadletter` stream with the reason. See activities/klines/README.md for the policy.
//
// When does a minute close? On one of two clocks:
//   arrival (live, the default): Redis's clock. Minute m closes once every entry that reached the
//     stream before m's end + grace has been read (entry ids carry their arrival time). A tick
//     that reaches Redis more than `grace` after its minute ended is late. Quiet symbols close on
//     time too, since the clock moves without them.
//   event (replays): the ticks' own times. Minute m closes once a tick at or after m's end + grace
//     has been read (any symbol: the stream is one feed in time order), or a watermark entry at or
//     after m's end.
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';
import { durationInput } from './durations';
import { addCounts, LiveWriter, zeroCounts, type LiveWriteCounts } from './live-write';
import { barToKline, MinuteBars, MINUTE_MS, type OpenBar } from './minute-bars';
import { keysOf, runStreamConsumer, type CommitWork, type DeadLetter, type ReadClock, type StreamEntry, type StreamHandler } from './stream-consumer';
import { parseTickEntry, SYMBOL } from './tick';

export const TICKS_NAMESPACE = 'klines.ticks';

export interface FromTicksInput {
  stream?: string;
  group?: string;
  symbols?: string[];
  clock?: 'arrival' | 'event';
  grace?: string | number;
  runFor?: string | number;
  idle?: string | number;
  batch?: number;
}

/** Counts of committed work only (acknowledged entries), so a retried run never counts twice. */
export interface TickCounts {
  /** Entries acknowledged: ticks in written bars, late, duplicate, invalid, other symbols, watermarks, deleted. */
  entries: number;
  /** Ticks merged into bars that were written. */
  ticks: number;
  simulatedTicks: number;
  late: number;
  duplicates: number;
  invalid: number;
  otherSymbols: number;
  watermarks: number;
  deleted: number;
  bars: number;
}

export interface FromTicksResult extends TickCounts, LiveWriteCounts {
  stream: string;
  group: string;
  clock: 'arrival' | 'event';
  graceMs: number;
  /** Every minute ending at or before this is closed. */
  closedThrough: string | null;
  firstBar: string | null;
  lastBar: string | null;
  barsBySymbol: Record<string, number>;
  /** Minutes still open (their ticks stay pending for the next run). */
  openBars: Array<{ symbol: string; bars: number; from: string; to: string; ticks: number }>;
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

export interface FromTicksHeartbeat {
  key: string;
  lastDeliveredId: string;
  counts: TickCounts & LiveWriteCounts;
}

const iso = (t: number) => new Date(t).toISOString();
const STREAM_NAME = /^[\w.:-]{1,200}$/;

export function validateStreamName(value: unknown, name: string, fallback: string): string {
  const s = value ?? fallback;
  if (typeof s !== 'string' || !STREAM_NAME.test(s)) throw new InvalidInputError(`${name} must match ${STREAM_NAME.source}, got ${JSON.stringify(value)}`);
  return s;
}

export function validateSymbols(value: unknown): Set<string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw new InvalidInputError('symbols must be a non-empty list');
  for (const s of value) if (typeof s !== 'string' || !SYMBOL.test(s)) throw new InvalidInputError(`symbols: ${JSON.stringify(s)} does not match ${SYMBOL.source}`);
  return new Set(value);
}

const zeroTickCounts = (): TickCounts => ({
  entries: 0, ticks: 0, simulatedTicks: 0, late: 0, duplicates: 0, invalid: 0, otherSymbols: 0, watermarks: 0, deleted: 0, bars: 0,
});

/** Future ticks beyond this (worker clock) are malformed: one would close every open minute. */
const MAX_FUTURE_MS = 5 * 60_000;

class TickHandler implements StreamHandler {
  readonly bars = new MinuteBars(-Infinity);
  private ready: OpenBar[] = [];
  private ack: string[] = [];
  private dead: DeadLetter[] = [];
  private maxTickTime = -Infinity;
  /** Counts of acknowledgements not committed yet. */
  private staged = zeroTickCounts();
  firstBar = Infinity;
  lastBar = -Infinity;
  readonly barsBySymbol = new Map<string, number>();

  constructor(
    private readonly writer: LiveWriter,
    private readonly clock: 'arrival' | 'event',
    private readonly graceMs: number,
    private readonly symbols: Set<string> | undefined,
    readonly counts: TickCounts & LiveWriteCounts,
  ) {}

  restore(state: Record<string, string>): void {
    const t = Number(state.closedThrough);
    if (Number.isFinite(t)) this.bars.closedThrough = t;
  }

  private advance(t: number): void {
    // Minutes end on multiples of a minute: nothing new closes until t crosses one.
    if (Math.floor(t / MINUTE_MS) <= Math.floor(this.bars.closedThrough / MINUTE_MS)) {
      if (t > this.bars.closedThrough) this.bars.closedThrough = t;
      return;
    }
    this.ready.push(...this.bars.closeThrough(t));
  }

  onEntries(entries: StreamEntry[], clock: ReadClock): void {
    const maxTime = Date.now() + MAX_FUTURE_MS;
    const c = this.staged;
    for (const e of entries) {
      // A tick that reached Redis more than `grace` after its minute ended is late, even if it is first.
      if (this.clock === 'arrival') this.advance(Number(e.id.slice(0, e.id.indexOf('-'))) - this.graceMs);
      if (e.fields === null) {
        c.deleted++;
        this.ack.push(e.id);
        continue;
      }
      const parsed = parseTickEntry(e.fields, maxTime);
      if (parsed.kind === 'invalid') {
        c.invalid++;
        this.dead.push({ id: e.id, reason: `invalid: ${parsed.reason}`, fields: e.fields });
        this.ack.push(e.id);
      } else if (parsed.kind === 'watermark') {
        c.watermarks++;
        this.ack.push(e.id);
        if (this.clock === 'event') this.advance(parsed.time);
      } else {
        const tick = parsed.tick;
        if (this.symbols && !this.symbols.has(tick.symbol)) {
          c.otherSymbols++;
          this.ack.push(e.id);
          continue;
        }
        const r = this.bars.add(tick, e.id);
        if (r === 'duplicate') {
          c.duplicates++;
          this.ack.push(e.id);
        } else if (r === 'late') {
          c.late++;
          this.dead.push({ id: e.id, reason: `late: its minute ${iso(Math.floor(tick.time / MINUTE_MS) * MINUTE_MS)} closed at ${iso(this.bars.closedThrough)}`, fields: e.fields });
          this.ack.push(e.id);
        }
        if (this.clock === 'event' && tick.time > this.maxTickTime) {
          this.maxTickTime = tick.time;
          this.advance(tick.time - this.graceMs);
        }
      }
    }
    if (this.clock === 'arrival') this.advance(clock.arrivedBefore - this.graceMs);
  }

  takeCommit(): CommitWork | undefined {
    if (this.ready.length === 0 && this.ack.length === 0 && this.dead.length === 0) return undefined;
    const bars = this.ready;
    const ack = [...this.ack, ...bars.flatMap((b) => b.ids)];
    const dead = this.dead;
    const staged = this.staged;
    staged.entries = this.ack.length;
    this.staged = zeroTickCounts();
    this.ready = [];
    this.ack = [];
    this.dead = [];
    return {
      ack,
      deadLetters: dead,
      queue: (multi: ChainableCommander) => {
        const bySymbol = new Map<string, OpenBar[]>();
        for (const b of bars) (bySymbol.get(b.symbol) ?? bySymbol.set(b.symbol, []).get(b.symbol)!).push(b);
        let n = 0;
        for (const [symbol, list] of bySymbol) n += this.writer.queue(multi, symbol, list.map(barToKline));
        return n;
      },
      committed: (replies) => {
        for (const r of replies) addCounts(this.counts, LiveWriter.parse(r));
        for (const k of Object.keys(staged) as (keyof TickCounts)[]) this.counts[k] += staged[k];
        this.counts.bars += bars.length;
        for (const b of bars) {
          this.counts.entries += b.ids.length;
          this.counts.ticks += b.trades;
          this.counts.simulatedTicks += b.simulated;
          this.firstBar = Math.min(this.firstBar, b.openTime);
          this.lastBar = Math.max(this.lastBar, b.openTime);
          this.barsBySymbol.set(b.symbol, (this.barsBySymbol.get(b.symbol) ?? 0) + 1);
        }
      },
    };
  }

  state(): Record<string, string> {
    return Number.isFinite(this.bars.closedThrough) ? { closedThrough: String(this.bars.closedThrough) } : {};
  }
}

export async function klinesFromTicks(input: FromTicksInput, ctx: ActivityContext, deps: { redis: Redis }): Promise<FromTicksResult> {
  if (!input || typeof input !== 'object') throw new InvalidInputError('input must be an object');
  const stream = validateStreamName(input.stream, 'stream', 'market.tick');
  const group = validateStreamName(input.group, 'group', 'klines');
  const symbols = validateSymbols(input.symbols);
  const clock = input.clock ?? 'arrival';
  if (clock !== 'arrival' && clock !== 'event') throw new InvalidInputError(`clock must be 'arrival' or 'event', got ${JSON.stringify(input.clock)}`);
  const graceMs = durationInput(input.grace, 'grace', 2000);
  const runForMs = durationInput(input.runFor, 'runFor', 4 * 60_000);
  const idleMs = input.idle === undefined ? undefined : durationInput(input.idle, 'idle');
  const batch = input.batch ?? 1000;
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) throw new InvalidInputError(`batch must be an integer in [1, 100000], got ${batch}`);

  const key = `${stream}|${group}`;
  const resumed = ctx.resumeDetails<FromTicksHeartbeat>();
  const counts = resumed?.key === key ? { ...resumed.counts } : { ...zeroTickCounts(), ...zeroCounts() };
  const { run, handler } = await runStreamConsumer(
    deps.redis,
    { stream, group, batch, runForMs, idleMs },
    (conn) => new TickHandler(new LiveWriter(conn, TICKS_NAMESPACE), clock, graceMs, symbols, counts),
    ctx,
    ({ lastDeliveredId }) => ctx.heartbeat({ key, lastDeliveredId, counts: { ...counts } } satisfies FromTicksHeartbeat),
  );
  if (run.stoppedBecause === 'cancelled') throw ctx.signal.reason ?? new Error('klines.fromTicks cancelled');

  const open = handler.bars.openSummary();
  const symbolsSeen = [...new Set([...handler.barsBySymbol.keys(), ...open.map((o) => o.symbol)])].sort();
  const result: FromTicksResult = {
    stream,
    group,
    clock,
    graceMs,
    ...counts,
    closedThrough: Number.isFinite(handler.bars.closedThrough) ? iso(handler.bars.closedThrough) : null,
    firstBar: Number.isFinite(handler.firstBar) ? iso(handler.firstBar) : null,
    lastBar: Number.isFinite(handler.lastBar) ? iso(handler.lastBar) : null,
    barsBySymbol: Object.assign(Object.create(null), Object.fromEntries(handler.barsBySymbol)),
    openBars: open.map((o) => ({ symbol: o.symbol, bars: o.bars, from: iso(o.from), to: iso(o.to), ticks: o.ticks })),
    pending: run.pending,
    lastDeliveredId: run.lastDeliveredId,
    lostToTrim: run.lostToTrim,
    stoppedBecause: run.stoppedBecause,
    durationMs: run.durationMs,
    deadLetterStream: keysOf(stream, group).deadLetters,
    storeKeys: symbolsSeen.map((s) => `klines:${s}:1m`),
    liveKeys: symbolsSeen.map((s) => `${TICKS_NAMESPACE}:${s}:1m`),
    summary: '',
  };
  result.summary =
    `${stream} → 1m bars (group ${group}, ${clock} clock, grace ${graceMs} ms): ${counts.entries} entries, ${counts.ticks} ticks` +
    `${counts.simulatedTicks ? ` (${counts.simulatedTicks} SIMULATED)` : ''}, ${counts.bars} bars closed ` +
    `(${counts.mainWritten} into the kline store; ${counts.kept} minutes there already held another source's bar, kept); ` +
    `late ${counts.late}, duplicates ${counts.duplicates}, invalid ${counts.invalid} (kept in ${result.deadLetterStream}); ` +
    `${open.reduce((n, o) => n + o.bars, 0)} bars still open; stopped: ${run.stoppedBecause}` +
    (run.lostToTrim ? '; WARNING: the stream trimmed entries this group never read' : '');
  ctx.log(result.summary);
  return result;
}
