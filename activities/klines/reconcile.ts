// klines.reconcile: compares the bars a live consumer built (its copy, `klines.ticks:*` or
// `klines.bot:*`) with Binance's bars for the same minutes, fetched now, and reports per symbol:
// how many bars each side has over the live span, the minutes only one side has, and per field
// the largest |Δ| and how many bars differ. Then (adopt, the default) Binance's bars replace the
// live ones in the main kline store: the exchange's record is what training should use, and the
// consumer's copy stays as it was for audit.
//
// A Binance bar with volume but no trades lacks trade statistics (the shipped OHLCV-only data the
// local server serves; real Binance always has them): trades, quote and taker-buy volumes are not
// compared for it, and such bars are counted.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Redis from 'ioredis';
import type { Kline } from '../binance/kline';
import { KlineStore } from '../binance/kline-store';
import { createBinanceClient, type BinanceClient } from '../binance/client';
import { parseTimeInput } from '../binance/time-input';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';
import { BOT_NAMESPACE } from './consume-bars';
import { TICKS_NAMESPACE, validateSymbols } from './from-ticks';
import { MINUTE_MS } from './minute-bars';

export const COMPARED_FIELDS = ['open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote'] as const;
type Field = (typeof COMPARED_FIELDS)[number];
const TRADE_STATS: ReadonlySet<Field> = new Set(['quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote']);

export interface ReconcileInput {
  symbols: string[];
  from: string | number;
  to: string | number;
  source?: 'ticks' | 'bot';
  adopt?: boolean;
}

export interface FieldDelta {
  maxAbsDelta: number;
  /** Open time (ISO) of the bar with the largest |Δ|. */
  at: string | null;
  /** Bars whose values differ by more than 1e-9 relative. */
  differing: number;
  compared: number;
}

export interface SymbolReconciliation {
  symbol: string;
  /** First and last minute the live copy has in [from, to]: the span compared. */
  liveFrom: string | null;
  liveTo: string | null;
  live: number;
  binance: number;
  both: number;
  liveOnly: number;
  binanceOnly: number;
  binanceWithoutTradeStats: number;
  barsDiffering: number;
  fields: Record<Field, FieldDelta>;
  examples: Array<{ openTime: string; field: Field; live: number; binance: number }>;
  liveOnlyExamples: string[];
  binanceOnlyExamples: string[];
  adopted: number;
}

const iso = (t: number) => new Date(t).toISOString();

function emptyFields(): Record<Field, FieldDelta> {
  const out = Object.create(null) as Record<Field, FieldDelta>;
  for (const f of COMPARED_FIELDS) out[f] = { maxAbsDelta: 0, at: null, differing: 0, compared: 0 };
  return out;
}

/** Compares one symbol's live bars with Binance's for the same span (pure). */
export function compareBars(symbol: string, live: Kline[], binance: Kline[]): Omit<SymbolReconciliation, 'adopted'> {
  const r: Omit<SymbolReconciliation, 'adopted'> = {
    symbol, liveFrom: live.length ? iso(live[0].openTime) : null, liveTo: live.length ? iso(live[live.length - 1].openTime) : null,
    live: live.length, binance: binance.length, both: 0, liveOnly: 0, binanceOnly: 0, binanceWithoutTradeStats: 0, barsDiffering: 0,
    fields: emptyFields(), examples: [], liveOnlyExamples: [], binanceOnlyExamples: [],
  };
  const byTime = new Map(binance.map((k) => [k.openTime, k]));
  const liveTimes = new Set(live.map((k) => k.openTime));
  for (const k of binance) {
    if (liveTimes.has(k.openTime)) continue;
    r.binanceOnly++;
    if (r.binanceOnlyExamples.length < 20) r.binanceOnlyExamples.push(iso(k.openTime));
  }
  for (const l of live) {
    const b = byTime.get(l.openTime);
    if (!b) {
      r.liveOnly++;
      if (r.liveOnlyExamples.length < 20) r.liveOnlyExamples.push(iso(l.openTime));
      continue;
    }
    r.both++;
    const noStats = b.trades === 0 && b.volume > 0;
    if (noStats) r.binanceWithoutTradeStats++;
    let differs = false;
    for (const f of COMPARED_FIELDS) {
      if (noStats && TRADE_STATS.has(f)) continue;
      const d = Math.abs(l[f] - b[f]);
      const s = r.fields[f];
      s.compared++;
      if (d > s.maxAbsDelta) {
        s.maxAbsDelta = d;
        s.at = iso(l.openTime);
      }
      if (d > 1e-9 * Math.max(1, Math.abs(b[f]))) {
        s.differing++;
        differs = true;
        if (r.examples.length < 20) r.examples.push({ openTime: iso(l.openTime), field: f, live: l[f], binance: b[f] });
      }
    }
    if (differs) r.barsDiffering++;
  }
  return r;
}

async function fetchBinance(client: BinanceClient, symbol: string, from: number, to: number, signal: AbortSignal): Promise<Kline[]> {
  const out: Kline[] = [];
  for await (const page of client.pageKlines(symbol, '1m', from, to)) {
    if (signal.aborted) throw signal.reason ?? new Error('cancelled');
    out.push(...page.klines);
  }
  return out;
}

export async function reconcileKlines(
  input: ReconcileInput,
  ctx: ActivityContext,
  deps: { redis: Redis; config: { binanceBaseUrl: string; dataDir: string }; client?: BinanceClient },
) {
  if (!input || typeof input !== 'object') throw new InvalidInputError('input must be an object');
  const symbols = [...(validateSymbols(input.symbols) ?? [])];
  if (symbols.length === 0) throw new InvalidInputError('symbols is required');
  const from = parseTimeInput(input.from, 'from');
  const to = parseTimeInput(input.to, 'to');
  if (from > to) throw new InvalidInputError(`from (${iso(from)}) is after to (${iso(to)})`);
  const source = input.source ?? 'ticks';
  if (source !== 'ticks' && source !== 'bot') throw new InvalidInputError(`source must be 'ticks' or 'bot', got ${JSON.stringify(input.source)}`);
  const adopt = input.adopt ?? true;
  const liveStore = new KlineStore(deps.redis, source === 'ticks' ? TICKS_NAMESPACE : BOT_NAMESPACE);
  const main = new KlineStore(deps.redis);
  const client = deps.client ?? createBinanceClient({ baseUrl: deps.config.binanceBaseUrl, signal: ctx.signal, log: (m, f) => ctx.log(m, f) });

  const perSymbol: SymbolReconciliation[] = [];
  for (const symbol of symbols) {
    const live = await liveStore.range(symbol, '1m', from, to);
    if (live.length === 0) {
      perSymbol.push({ ...compareBars(symbol, [], []), adopted: 0 });
      continue;
    }
    const a = live[0].openTime;
    const b = live[live.length - 1].openTime;
    const binance = await fetchBinance(client, symbol, a, b + MINUTE_MS - 1, ctx.signal);
    const r = compareBars(symbol, live, binance);
    const adopted = adopt ? (await main.upsert(symbol, '1m', binance)).written : 0;
    perSymbol.push({ ...r, adopted });
    ctx.heartbeat({ symbol, done: perSymbol.length });
  }

  const totals = {
    live: perSymbol.reduce((n, r) => n + r.live, 0),
    binance: perSymbol.reduce((n, r) => n + r.binance, 0),
    both: perSymbol.reduce((n, r) => n + r.both, 0),
    liveOnly: perSymbol.reduce((n, r) => n + r.liveOnly, 0),
    binanceOnly: perSymbol.reduce((n, r) => n + r.binanceOnly, 0),
    barsDiffering: perSymbol.reduce((n, r) => n + r.barsDiffering, 0),
    binanceWithoutTradeStats: perSymbol.reduce((n, r) => n + r.binanceWithoutTradeStats, 0),
    adopted: perSymbol.reduce((n, r) => n + r.adopted, 0),
  };
  const maxAbsDelta = Object.create(null) as Record<Field, number>;
  for (const f of COMPARED_FIELDS) maxAbsDelta[f] = Math.max(0, ...perSymbol.map((r) => r.fields[f].maxAbsDelta));

  const dir = path.join(deps.config.dataDir, 'reconcile', source);
  await mkdir(dir, { recursive: true });
  const reportFile = path.join(dir, `${iso(from).replace(/[:.]/g, '')}--${iso(to).replace(/[:.]/g, '')}.json`);
  const report = { source, liveNamespace: liveStore.namespace, from: iso(from), to: iso(to), adopt, createdAt: new Date().toISOString(), totals, maxAbsDelta, symbols: perSymbol };
  await writeFile(`${reportFile}.tmp`, JSON.stringify(report, null, 2) + '\n');
  await rename(`${reportFile}.tmp`, reportFile);

  const fmt = (x: number) => (x === 0 ? '0' : Math.abs(x) >= 0.01 ? x.toFixed(4) : x.toExponential(2));
  const lines = [
    `live (${liveStore.namespace}) vs Binance, ${iso(from)} … ${iso(to)}: ${totals.live} live bars, ${totals.binance} Binance bars over the live span, ` +
      `${totals.both} in both, ${totals.liveOnly} live only, ${totals.binanceOnly} Binance only, ${totals.barsDiffering} differing` +
      (totals.binanceWithoutTradeStats ? ` (${totals.binanceWithoutTradeStats} Binance bars without trade statistics: trades/quote/taker volumes not compared)` : ''),
    `max |Δ|: ${COMPARED_FIELDS.map((f) => `${f} ${fmt(maxAbsDelta[f])}`).join(', ')}`,
    ...perSymbol.map(
      (r) => `  ${r.symbol.padEnd(9)} live ${r.live}, binance ${r.binance}, live-only ${r.liveOnly}, binance-only ${r.binanceOnly}, differing ${r.barsDiffering}` +
        (r.barsDiffering ? ` (${COMPARED_FIELDS.filter((f) => r.fields[f].differing).map((f) => `${f} ${r.fields[f].differing}`).join(', ')})` : ''),
    ),
    adopt ? `Binance's bars adopted into the kline store: ${totals.adopted} bars changed.` : 'adopt: false, the kline store was left as it was.',
  ];
  const result = { source, from: iso(from), to: iso(to), ...totals, maxAbsDelta, symbols: perSymbol.map(({ examples, liveOnlyExamples, binanceOnlyExamples, ...rest }) => rest), reportFile, summary: lines.join('\n') };
  ctx.log(lines[0]);
  return result;
}
