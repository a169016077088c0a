// funding.backfillRates: the funding rate history of [from, to] for each symbol, from
// GET /fapi/v1/fundingRate (config.binanceBaseUrl) into the funding store. Re-runs rewrite
// nothing that is unchanged. Whether the source marked the data simulated (the local server
// derives its rates from spot klines) is kept with the records and said in the output.
import type Redis from 'ioredis';
import { parseTimeInput } from '../binance/time-input';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';
import { createFundingClient } from './client';
import { FundingStore } from './store';

export interface BackfillRatesInput {
  symbols: string[];
  from: string | number;
  to: string | number;
}

const iso = (t: number) => new Date(t).toISOString();

export async function backfillFundingRates(input: BackfillRatesInput, ctx: ActivityContext, deps: { redis: Redis; config: { binanceBaseUrl: string } }) {
  if (!input || !Array.isArray(input.symbols) || input.symbols.length === 0) throw new InvalidInputError('symbols must be a non-empty list');
  for (const s of input.symbols) if (typeof s !== 'string' || !/^[A-Z0-9]{5,20}$/.test(s)) throw new InvalidInputError(`symbols: ${JSON.stringify(s)} is not a symbol`);
  const from = parseTimeInput(input.from, 'from');
  const to = parseTimeInput(input.to, 'to');
  if (from > to) throw new InvalidInputError(`from (${iso(from)}) is after to (${iso(to)})`);
  const client = createFundingClient({ baseUrl: deps.config.binanceBaseUrl, signal: ctx.signal });
  const store = new FundingStore(deps.redis);
  const symbols = [];
  let simulated: string | undefined;
  for (const symbol of input.symbols) {
    let fetched = 0;
    let stored = 0;
    let first: number | undefined;
    let last: number | undefined;
    for await (const page of client.history(symbol, from, to)) {
      simulated ??= page.simulated;
      stored += await store.put(symbol, page.records, { source: deps.config.binanceBaseUrl, simulated: page.simulated !== undefined });
      fetched += page.records.length;
      if (page.records.length) {
        first ??= page.records[0].time;
        last = page.records[page.records.length - 1].time;
      }
      ctx.heartbeat({ symbol, fetched });
    }
    symbols.push({ symbol, fetched, stored, first: first === undefined ? null : iso(first), last: last === undefined ? null : iso(last), key: store.key(symbol) });
  }
  const fetched = symbols.reduce((n, s) => n + s.fetched, 0);
  const result = {
    from: iso(from),
    to: iso(to),
    fetched,
    stored: symbols.reduce((n, s) => n + s.stored, 0),
    simulated: simulated !== undefined,
    ...(simulated ? { simulatedNote: simulated } : {}),
    symbols,
    keys: symbols.map((s) => s.key),
    summary: `${fetched} funding rates of ${input.symbols.join(', ')} [${iso(from)}, ${iso(to)}]${simulated ? ` — SIMULATED by the source: ${simulated}` : ''}`,
  };
  ctx.log(result.summary);
  return result;
}
