// klines.simulateTicks and klines.simulateBars: SIMULATED feeds for the demo and the tests. They
// replay the shipped real klines (data/klines) into the streams the bot would fill, so the live
// path (consumer group, aggregation, store, reconciliation) runs for real without a bot. Every
// entry carries `simulated: 1`, and the consumers count such entries in their outputs.
//   simulateTicks: each bar becomes ticks (tick-synth.ts says exactly what is real and what is
//     made up), all symbols merged in time order, then a watermark entry at the end of the range
//     (for consumers on the event clock). Optional faults: a share of ticks sent twice (same
//     tradeId) and a share held back and sent `lateBy` later (late ticks).
//   simulateBars: each bar as one market.klines entry with the file's own decimals; optional
//     duplicates.
import type Redis from 'ioredis';
import { mulberry32 } from '../../lib/mulberry32';
import { parseTimeInput } from '../binance/time-input';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';
import { durationInput } from './durations';
import { validateStreamName, validateSymbols } from './from-ticks';
import { MINUTE_MS } from './minute-bars';
import { shippedBars, type ShippedBar } from './shipped-klines';
import { MAX_TICKS_PER_BAR, synthesizeTicks, type SynthTick } from './tick-synth';

export interface SimulateInput {
  symbols: string[];
  from: string | number;
  to: string | number;
  stream?: string;
  seed?: number;
  /** Share of entries sent twice (0–1). */
  duplicates?: number;
}

export interface SimulateTicksInput extends SimulateInput {
  maxTicksPerBar?: number;
  /** Share of ticks sent late (0–1), `lateBy` after their time in the replay's order. */
  late?: number;
  lateBy?: string | number;
  /** Send a watermark entry at the end (default true). */
  watermark?: boolean;
}

const iso = (t: number) => new Date(t).toISOString();
const BATCH = 2000;

function commonInput(input: SimulateInput, defaultStream: string) {
  if (!input || typeof input !== 'object') throw new InvalidInputError('input must be an object');
  const symbols = [...(validateSymbols(input.symbols) ?? [])];
  if (symbols.length === 0) throw new InvalidInputError('symbols is required');
  const from = Math.ceil(parseTimeInput(input.from, 'from') / MINUTE_MS) * MINUTE_MS;
  const to = parseTimeInput(input.to, 'to');
  if (from > to) throw new InvalidInputError(`from (${iso(from)}) is after to (${iso(to)})`);
  const stream = validateStreamName(input.stream, 'stream', defaultStream);
  const share = (v: unknown, name: string) => {
    const x = v ?? 0;
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw new InvalidInputError(`${name} must be a share in [0, 1], got ${JSON.stringify(v)}`);
    return x;
  };
  return { symbols, from, to, stream, seed: input.seed ?? 1, duplicates: share(input.duplicates, 'duplicates'), share };
}

function barsBySymbol(symbols: string[], from: number, to: number): Map<string, ShippedBar[]> {
  const out = new Map<string, ShippedBar[]>();
  for (const s of symbols) out.set(s, shippedBars(s, from, to));
  return out;
}

class Sender {
  private pipe;
  private queued = 0;
  sent = 0;
  constructor(private readonly redis: Redis, private readonly stream: string) {
    this.pipe = redis.pipeline();
  }
  async add(fields: string[]): Promise<void> {
    this.pipe.xadd(this.stream, '*', ...fields);
    this.sent++;
    if (++this.queued >= BATCH) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.queued === 0) return;
    const res = await this.pipe.exec();
    const failed = res?.find(([e]) => e);
    if (failed) throw failed[0];
    this.pipe = this.redis.pipeline();
    this.queued = 0;
  }
}

const tickFields = (t: SynthTick) => ['symbol', t.symbol, 'price', t.price, 'qty', t.qty, 'time', String(t.time), 'side', t.side, 'tradeId', t.tradeId, 'simulated', '1'];

export async function simulateTicks(input: SimulateTicksInput, ctx: ActivityContext, deps: { redis: Redis }) {
  const { symbols, from, to, stream, seed, duplicates, share } = commonInput(input, 'market.tick');
  const late = share(input.late, 'late');
  const lateByMs = durationInput(input.lateBy, 'lateBy', 2 * MINUTE_MS);
  const maxTicksPerBar = input.maxTicksPerBar ?? 5000;
  if (!Number.isInteger(maxTicksPerBar) || maxTicksPerBar < 1 || maxTicksPerBar > MAX_TICKS_PER_BAR) {
    throw new InvalidInputError(`maxTicksPerBar must be an integer in [1, ${MAX_TICKS_PER_BAR}]`);
  }
  const bars = barsBySymbol(symbols, from, to);
  const faults = mulberry32(seed ^ 0x5eed);
  const sender = new Sender(deps.redis, stream);
  const stats = { bars: 0, barsWithoutTicks: 0, countFromSource: 0, takerBuyFromSource: 0, quoteAimed: 0, ticks: 0, duplicatesSent: 0, lateSent: 0 };
  const held: Array<{ releaseAt: number; tick: SynthTick }> = [];
  const cursor = new Map(symbols.map((s) => [s, 0]));
  let firstTick = Infinity;
  let lastTick = -Infinity;

  const last = Math.max(from, ...[...bars.values()].map((b) => (b.length ? b[b.length - 1].openTime : from)));
  for (let minute = from; minute <= Math.min(to, last); minute += MINUTE_MS) {
    const ticks: SynthTick[] = [];
    for (const s of symbols) {
      const list = bars.get(s)!;
      const i = cursor.get(s)!;
      if (i >= list.length || list[i].openTime !== minute) continue;
      cursor.set(s, i + 1);
      const synth = synthesizeTicks(s, list[i], { seed, maxTicksPerBar });
      stats.bars++;
      if (synth.ticks.length === 0) stats.barsWithoutTicks++;
      if (synth.countFromSource) stats.countFromSource++;
      if (synth.takerBuyFromSource) stats.takerBuyFromSource++;
      if (synth.quoteAimed) stats.quoteAimed++;
      ticks.push(...synth.ticks);
    }
    ticks.sort((a, b) => a.time - b.time || a.symbol.localeCompare(b.symbol));
    for (const t of ticks) {
      while (held.length && held[0].releaseAt <= t.time) {
        await sender.add(tickFields(held.shift()!.tick));
        stats.lateSent++;
      }
      if (late > 0 && faults() < late) {
        held.push({ releaseAt: t.time + lateByMs, tick: t });
        continue;
      }
      await sender.add(tickFields(t));
      if (duplicates > 0 && faults() < duplicates) {
        await sender.add(tickFields(t));
        stats.duplicatesSent++;
      }
      firstTick = Math.min(firstTick, t.time);
      lastTick = Math.max(lastTick, t.time);
      stats.ticks++;
    }
    if (minute % (60 * MINUTE_MS) === 0) ctx.heartbeat({ minute: iso(minute), sent: sender.sent });
  }
  for (const h of held) {
    await sender.add(tickFields(h.tick));
    stats.lateSent++;
  }
  stats.ticks += stats.lateSent;
  const watermark = input.watermark === false ? undefined : Math.min(to, last) + MINUTE_MS;
  if (watermark !== undefined) await sender.add(['type', 'watermark', 'time', String(watermark), 'simulated', '1']);
  await sender.flush();
  const result = {
    simulated: true,
    stream,
    symbols,
    from: iso(from),
    to: iso(to),
    ...stats,
    entries: sender.sent,
    firstTick: Number.isFinite(firstTick) ? iso(firstTick) : null,
    lastTick: Number.isFinite(lastTick) ? iso(lastTick) : null,
    watermark: watermark === undefined ? null : iso(watermark),
    summary:
      `SIMULATED ticks from the shipped klines of ${symbols.join(', ')} [${iso(from)}, ${iso(to)}]: ${stats.bars} bars → ${stats.ticks} ticks ` +
      `(trade count from the source for ${stats.countFromSource} bars, taker-buy volume for ${stats.takerBuyFromSource}; the rest synthetic), ` +
      `${stats.duplicatesSent} sent twice, ${stats.lateSent} sent late, into ${stream}`,
  };
  ctx.log(result.summary);
  return result;
}

export async function simulateBars(input: SimulateInput, ctx: ActivityContext, deps: { redis: Redis }) {
  const { symbols, from, to, stream, seed, duplicates } = commonInput(input, 'market.klines');
  const faults = mulberry32(seed ^ 0xba25);
  const all = [...barsBySymbol(symbols, from, to)].flatMap(([symbol, list]) => list.map((b) => ({ symbol, b })));
  all.sort((x, y) => x.b.openTime - y.b.openTime || x.symbol.localeCompare(y.symbol));
  const sender = new Sender(deps.redis, stream);
  let duplicatesSent = 0;
  for (const { symbol, b } of all) {
    const fields = ['symbol', symbol, 'openTime', String(b.openTime), 'open', b.open, 'high', b.high, 'low', b.low, 'close', b.close, 'volume', b.volume];
    if (b.quoteVolume !== undefined) fields.push('quoteVolume', b.quoteVolume);
    if (b.trades !== undefined) fields.push('trades', String(b.trades));
    if (b.takerBuyBase !== undefined) fields.push('takerBuyBase', b.takerBuyBase);
    if (b.takerBuyQuote !== undefined) fields.push('takerBuyQuote', b.takerBuyQuote);
    fields.push('closed', 'true', 'simulated', '1');
    await sender.add(fields);
    if (duplicates > 0 && faults() < duplicates) {
      await sender.add(fields);
      duplicatesSent++;
    }
  }
  await sender.flush();
  const result = {
    simulated: true,
    stream,
    symbols,
    from: iso(from),
    to: iso(to),
    bars: all.length,
    duplicatesSent,
    entries: sender.sent,
    summary: `SIMULATED bars: ${all.length} shipped 1m bars of ${symbols.join(', ')} [${iso(from)}, ${iso(to)}] pushed to ${stream} (${duplicatesSent} twice)`,
  };
  ctx.log(result.summary);
  return result;
}
