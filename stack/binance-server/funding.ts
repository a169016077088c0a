// GET /fapi/v1/fundingRate (Binance USDⓈ-M futures funding rate history) on the local server.
// SIMULATED: the project ships no futures data, so the rates are DERIVED from the real spot 1m
// klines, and every answer says so in the header X-Trainflow-Simulated. The derivation mimics how
// Binance sets funding (premium index + clamp(interest − premium, ±0.05 %), interest 0.01 % per
// 8 h), with a premium that follows the spot trend of the 8 hours before each funding time:
//   r       = ln(close of the last 1m bar before T / open of the first bar in [T − 8h, T))
//   premium = 0.002 · tanh(r / 0.03)
//   rate    = premium + clamp(0.0001 − premium, −0.0005, 0.0005), rounded to 8 decimals
//   markPrice = that last close (spot, not a futures mark price)
// at T = 00:00, 08:00, 16:00 UTC, for every T whose 8 hours hold at least 60 bars, the last of
// them in the hour before T (no rate where the shipped data has a gap). Strong
// rallies give positive rates, sell-offs negative ones, quiet markets Binance's flat 0.0001.
// Request rules as Binance documents them: symbol (required here), startTime/endTime inclusive,
// limit 1–1000 (default 100), ascending; no time given → the latest `limit` records; weight: its
// own limit of 500 requests per 5 minutes per IP (429 with Retry-After past it).
import type http from 'node:http';
import type { Kline } from '../../activities/binance/kline';
import { errors, errorJson, type BinanceError } from './binance-errors';
import type { KlineSource } from './kline-source';
import { checkParamNames, SYMBOL_PATTERN } from './params';
import { WeightLimiter } from './weight-limiter';

export const FUNDING_PATH = '/fapi/v1/fundingRate';
export const FUNDING_INTERVAL_MS = 8 * 3_600_000;
export const SIMULATED_HEADER = 'X-Trainflow-Simulated';
const SIMULATED_NOTE = 'funding rates derived from spot klines, not Binance data (stack/binance-server/funding.ts)';

export interface FundingRecord {
  symbol: string;
  fundingRate: string;
  fundingTime: number;
  markPrice: string;
}

/** The simulated funding history of a symbol from its 1m bars (sorted by open time). Pure. */
export function deriveFundingRates(symbol: string, bars: readonly Kline[]): FundingRecord[] {
  const out: FundingRecord[] = [];
  if (bars.length === 0) return out;
  const first = Math.floor(bars[0].openTime / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS + FUNDING_INTERVAL_MS;
  const last = bars[bars.length - 1].openTime + 60_000;
  let a = 0;
  for (let T = first; T <= last; T += FUNDING_INTERVAL_MS) {
    while (a < bars.length && bars[a].openTime < T - FUNDING_INTERVAL_MS) a++;
    let b = a;
    while (b < bars.length && bars[b].openTime < T) b++;
    if (b - a >= 60 && bars[b - 1].openTime >= T - 3_600_000) {
      const r = Math.log(bars[b - 1].close / bars[a].open);
      const premium = 0.002 * Math.tanh(r / 0.03);
      const rate = premium + Math.min(0.0005, Math.max(-0.0005, 0.0001 - premium));
      out.push({ symbol, fundingRate: (Math.round(rate * 1e8) / 1e8).toFixed(8), fundingTime: T, markPrice: bars[b - 1].close.toFixed(8) });
    }
    a = b;
  }
  return out;
}

function lowerBound(recs: FundingRecord[], t: number): number {
  let lo = 0;
  let hi = recs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (recs[mid].fundingTime < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createFundingEndpoint(source: KlineSource) {
  const bySymbol = new Map<string, FundingRecord[]>();
  const limiter = new WeightLimiter({ limit: 500, windowMs: 300_000, banMs: 120_000 });
  const history = (symbol: string) => {
    let h = bySymbol.get(symbol);
    if (!h) bySymbol.set(symbol, (h = deriveFundingRates(symbol, source.bars(symbol))));
    return h;
  };

  const answer = (params: URLSearchParams): BinanceError | FundingRecord[] => {
    const bad = checkParamNames(params, ['symbol', 'startTime', 'endTime', 'limit']);
    if (bad) return bad;
    const symbol = params.get('symbol');
    if (!symbol) return errors.mandatory('symbol');
    if (!new RegExp(SYMBOL_PATTERN).test(symbol)) return errors.illegalChars('symbol', SYMBOL_PATTERN);
    const long = (name: string): number | undefined | BinanceError => {
      const raw = params.get(name);
      if (raw === null || raw === '') return undefined;
      return /^[0-9]{1,20}$/.test(raw) ? Number(raw) : errors.illegalChars(name, '^[0-9]{1,20}$');
    };
    const start = long('startTime');
    const end = long('endTime');
    const limitRaw = long('limit');
    for (const v of [start, end, limitRaw]) if (typeof v === 'object') return v;
    const limit = (limitRaw as number | undefined) ?? 100;
    if (limit < 1 || limit > 1000) return errors.invalidParam('limit');
    if (!source.has(symbol)) return errors.badSymbol();
    if (start !== undefined && end !== undefined && (start as number) > (end as number)) return errors.startAfterEnd();
    const all = history(symbol);
    if (start === undefined) {
      const stop = end === undefined ? all.length : lowerBound(all, (end as number) + 1);
      return all.slice(Math.max(0, stop - limit), stop);
    }
    const from = lowerBound(all, start as number);
    const stop = end === undefined ? all.length : lowerBound(all, (end as number) + 1);
    return all.slice(from, Math.min(stop, from + limit));
  };

  function handle(params: URLSearchParams, ip: string, now: number, res: http.ServerResponse): void {
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json;charset=UTF-8', Date: new Date(now).toUTCString(), [SIMULATED_HEADER]: SIMULATED_NOTE };
    const verdict = limiter.charge(ip, 1, now);
    let status = 200;
    let body: string;
    if (verdict.status !== 200) {
      status = verdict.status;
      headers['Retry-After'] = String(verdict.retryAfterS);
      body = errorJson(verdict.status === 429 ? errors.tooMuchWeight(500, '5 MINUTE') : errors.banned(verdict.untilMs));
    } else {
      const out = answer(params);
      if (Array.isArray(out)) body = JSON.stringify(out);
      else {
        status = out.status;
        body = errorJson(out);
      }
    }
    headers['Content-Length'] = Buffer.byteLength(body);
    res.writeHead(status, headers);
    res.end(body);
  }

  return { handle, reset: () => limiter.reset() };
}
