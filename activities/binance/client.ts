// Binance klines over HTTP (axios), for api.binance.com or the local compatible server alike:
// pages with startTime = last open time + 1, stays under the REQUEST_WEIGHT limit, waits out
// 429s, stops at a 418 ban, retries transient faults (5xx, timeouts, dropped connections,
// garbled bodies) with exponential backoff, rejects bad requests at once, checks every row,
// drops the still-open bar and reports missing bars as gaps, never filling them. The exchange's
// clock is estimated from /api/v3/time (synced once per client, and again by syncClock() at each
// activity attempt); a bar is taken as closed only clockMarginMs after its close by that estimate.
import axios, { type AxiosInstance } from 'axios';
import { NonRetryableError } from '../errors';
import { INTERVAL_MS, type Kline } from './kline';
import { KlineDataError, parseKlineRows } from './kline-rows';
import { alignDown, alignUp, type Range } from './ranges';
import { WeightBudget, sharedBudget, sleep } from './weight-budget';

export interface BinanceClientOptions {
  baseUrl: string;
  /** REQUEST_WEIGHT limit and window; read from exchangeInfo when not given. */
  weightLimit?: number;
  weightWindowMs?: number;
  /** Shared per base URL by default. */
  budget?: WeightBudget;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Attempts per request for transient faults before giving up with a retryable error (default 5). */
  attempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** 429s tolerated per request (each waited out) before giving up (default 5). */
  max429?: number;
  signal?: AbortSignal;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /**
   * Bars that closed less than this long ago (server clock) and were not sent are not called
   * gaps: the exchange may not serve a bar the instant it closes (default 60 s).
   */
  settleMs?: number;
  /**
   * How far our estimate of the exchange's clock may be off (round trip, drift since the last
   * sync): a bar closed less than this long ago is still treated as open (default 5 s).
   */
  clockMarginMs?: number;
}

export interface KlinePage {
  /** Closed bars, sorted by open time. */
  klines: Kline[];
  /** Open-time ranges the exchange has no bars for (inside the page and around it). */
  gaps: Range[];
  /** The still-open bar the exchange sent (dropped from klines). */
  openBar?: Kline;
  /** startTime of the next page, or undefined when the requested range is exhausted. */
  next?: number;
  /** Bars are settled up to this open time (inclusive): klines and gaps cover [start, knownTo]. */
  knownTo: number;
}

export interface ClientStats {
  requests: number;
  klinesRequests: number;
  retries: number;
  rateLimited: number;
}

export interface BinanceClient {
  fetchKlinesPage(symbol: string, interval: string, startTime: number, endTime?: number, limit?: number): Promise<KlinePage>;
  pageKlines(symbol: string, interval: string, startTime: number, endTime?: number, limit?: number): AsyncGenerator<KlinePage>;
  serverTime(): Promise<number>;
  /** Reads the exchange's clock again; returns the offset (exchange - local, ms). */
  syncClock(): Promise<number>;
  exchangeInfo(symbol?: string): Promise<any>;
  readonly stats: ClientStats;
  readonly budget: WeightBudget;
}

/** Transient: worth another attempt. */
class TransientError extends Error {}

const WEIGHT = { ping: 1, time: 1, exchangeInfo: 20, klines: 2 };

function describeAxiosError(e: any): string {
  return [e.code, e.message].filter(Boolean).join(' ');
}

function usedWeight(headers: Record<string, unknown>): number | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase().startsWith('x-mbx-used-weight-')) return Number(v);
  }
  return undefined;
}

const WINDOW_UNIT_MS: Record<string, number> = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

export function createBinanceClient(opts: BinanceClientOptions): BinanceClient {
  const http: AxiosInstance = axios.create({
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs ?? 10_000,
    responseType: 'text',
    transformResponse: (x) => x,
    validateStatus: () => true,
  });
  const budget = opts.budget ?? sharedBudget(opts.baseUrl);
  if (opts.weightLimit) budget.limits = { limit: opts.weightLimit, windowMs: opts.weightWindowMs ?? 60_000 };
  const attempts = opts.attempts ?? 5;
  const backoff = (n: number) => Math.min(opts.maxBackoffMs ?? 5000, (opts.backoffMs ?? 200) * 2 ** n);
  const stats: ClientStats = { requests: 0, klinesRequests: 0, retries: 0, rateLimited: 0 };
  let clockOffset: number | undefined;
  let lastUsedWeight: number | undefined;
  const clockMarginMs = opts.clockMarginMs ?? 5000;

  /** `sent`, if given, gets the local time each attempt goes out (after any wait for the budget). */
  async function request<T>(path: string, params: Record<string, unknown>, weight: number, decode: (data: unknown) => T, paced = true, sent?: { at: number }): Promise<T> {
    const what = `GET ${path}?${new URLSearchParams(params as Record<string, string>)}`;
    let failures = 0;
    let limited = 0;
    for (;;) {
      // Unpaced (exchangeInfo, before the limits are known) still never goes out inside a Retry-After.
      const ticket = paced ? await budget.acquire(weight, opts.signal) : (await budget.unblocked(opts.signal), undefined);
      stats.requests++;
      if (path.endsWith('/klines')) stats.klinesRequests++;
      let problem: string;
      try {
        if (sent) sent.at = Date.now();
        const res = await http.get(path, { params, signal: opts.signal });
        const used = usedWeight(res.headers as Record<string, unknown>);
        lastUsedWeight = used ?? lastUsedWeight;
        if (ticket) budget.release(ticket, used);
        else if (used !== undefined) budget.observe(used);
        const retryAfterS = Number(res.headers['retry-after'] ?? 1);
        if (res.status === 418) {
          const until = Date.now() + retryAfterS * 1000;
          const msg = `Binance banned this IP (HTTP 418: requests kept coming after 429s) for ${retryAfterS} s, until ${new Date(until).toISOString()}; not retrying, as every request now extends the ban (${what}: ${res.data})`;
          budget.ban(until, msg);
          throw new NonRetryableError(msg, 'BinanceBanned');
        }
        if (res.status === 429) {
          stats.rateLimited++;
          if (++limited > (opts.max429 ?? 5)) throw new Error(`Binance kept answering 429 (${limited} times) for ${what}`);
          opts.log?.('binance 429: waiting Retry-After', { retryAfterS, what });
          budget.block(Date.now() + retryAfterS * 1000 + 50);
          continue;
        }
        if (res.status >= 500) throw new TransientError(`HTTP ${res.status}`);
        if (res.status >= 400) {
          let body: { code?: number; msg?: string } = {};
          try {
            body = JSON.parse(res.data);
          } catch {
            /* not a Binance error body */
          }
          throw new NonRetryableError(
            `Binance rejected ${what}: ${body.msg ?? String(res.data).slice(0, 200)} (code ${body.code ?? 'none'}, HTTP ${res.status})`,
            'BinanceRejected',
            { status: res.status, code: body.code, msg: body.msg },
          );
        }
        let data: unknown;
        try {
          data = JSON.parse(res.data);
        } catch (e) {
          throw new TransientError(`unparseable body (${(e as Error).message}; ${String(res.data).length} bytes)`);
        }
        return decode(data);
      } catch (e: any) {
        if (axios.isAxiosError(e) && ticket) budget.release(ticket);
        if (e instanceof NonRetryableError || opts.signal?.aborted) throw e;
        if (!(e instanceof TransientError || e instanceof KlineDataError || axios.isAxiosError(e))) throw e;
        problem = e instanceof TransientError || e instanceof KlineDataError ? e.message : describeAxiosError(e);
        if (++failures >= attempts) {
          if (e instanceof KlineDataError) {
            throw new NonRetryableError(`Binance sent invalid klines ${attempts} times for ${what}: ${problem}`, 'BinanceInvalidData');
          }
          throw new Error(`Binance unavailable: ${what} failed ${failures} times, last: ${problem}`);
        }
      }
      stats.retries++;
      opts.log?.('binance request failed, retrying', { what, problem, attempt: failures });
      await sleep(backoff(failures - 1), opts.signal);
    }
  }

  async function learnLimits(): Promise<void> {
    const info = await exchangeInfo();
    const rl = (info.rateLimits ?? []).find((r: any) => r.rateLimitType === 'REQUEST_WEIGHT');
    if (!rl) throw new Error('exchangeInfo has no REQUEST_WEIGHT rate limit');
    budget.limits = { limit: rl.limit, windowMs: rl.intervalNum * WINDOW_UNIT_MS[rl.interval] };
    // exchangeInfo itself (weight 20) was sent before the limits were known: count it now.
    if (lastUsedWeight !== undefined) budget.observe(lastUsedWeight);
  }

  /**
   * Reads exchangeInfo once per budget (clients sharing it wait for the same read). The read goes
   * out on one client, under that client's signal: when its job ends or is cancelled meanwhile,
   * the others read again on their own, rather than fail with an abort that is not theirs.
   */
  async function ensureLimits(): Promise<void> {
    while (!budget.limits) {
      const learning = (budget.learning ??= { done: learnLimits().finally(() => (budget.learning = undefined)), signal: opts.signal });
      try {
        await learning.done;
      } catch (e) {
        if (learning.signal === opts.signal || !learning.signal?.aborted) throw e;
      }
    }
  }

  async function exchangeInfo(symbol?: string): Promise<any> {
    return request('/api/v3/exchangeInfo', symbol ? { symbol } : {}, WEIGHT.exchangeInfo, (d) => d, false);
  }

  async function serverTime(): Promise<number> {
    await ensureLimits();
    // The round trip is timed from the moment the request goes out, not from before a wait for
    // the budget (which would put the estimate ahead by half that wait).
    const sent = { at: Date.now() };
    const t = await request('/api/v3/time', {}, WEIGHT.time, (d: any) => {
      if (!Number.isSafeInteger(d?.serverTime)) throw new TransientError('no serverTime in /api/v3/time');
      return d.serverTime as number;
    }, true, sent);
    const received = Date.now();
    clockOffset = t - (sent.at + received) / 2;
    // The server read its clock somewhere in the round trip (+1 ms: it reports whole milliseconds).
    budget.setClock(clockOffset, (received - sent.at) / 2 + 1);
    return t;
  }

  async function syncClock(): Promise<number> {
    await serverTime();
    return clockOffset!;
  }

  let syncing: Promise<number> | undefined;
  async function serverNow(): Promise<number> {
    if (clockOffset === undefined) {
      syncing ??= serverTime().finally(() => (syncing = undefined));
      await syncing;
    }
    return Date.now() + clockOffset!;
  }

  async function fetchKlinesPage(symbol: string, interval: string, startTime: number, endTime?: number, limit = 1000): Promise<KlinePage> {
    await ensureLimits();
    const now = await serverNow();
    const I = INTERVAL_MS[interval] ?? 1;
    const first = alignUp(startTime, I);
    const last = alignDown(endTime ?? now, I);
    const params: Record<string, unknown> = { symbol, interval, startTime, limit };
    if (endTime !== undefined) params.endTime = endTime;
    const get = () =>
      request('/api/v3/klines', params, WEIGHT.klines, (d) => {
        if (!INTERVAL_MS[interval]) throw new NonRetryableError(`interval ${interval} is not supported by Trainflow`, 'UnsupportedInterval');
        return parseKlineRows(d, I, first, last);
      });
    // Our clock estimate may be ahead of the exchange's: a bar is closed only past the margin.
    const safeNow = now - clockMarginMs;
    const lastClosed = alignDown(safeNow - I, I);
    let rows = await get();
    // An empty page claims a gap over the whole range: ask once more before believing it.
    if (rows.length === 0 && first <= Math.min(last, lastClosed)) rows = await get();
    const klines = rows.filter((k) => k.closeTime < safeNow);
    const openBar = klines.length < rows.length ? rows[rows.length - 1] : undefined;
    const gaps: Range[] = [];
    let prev = first - I;
    for (const k of klines) {
      if (k.openTime > prev + I) gaps.push([prev + I, k.openTime - I]);
      prev = k.openTime;
    }
    const exhausted = rows.length < limit || openBar !== undefined || prev + I > last;
    const settled = Math.min(last, lastClosed, alignDown(safeNow - I - (opts.settleMs ?? 60_000), I));
    const knownTo = exhausted ? Math.max(prev, settled) : prev;
    if (exhausted && prev + I <= settled) gaps.push([prev + I, settled]);
    return { klines, gaps, openBar, next: exhausted ? undefined : prev + 1, knownTo };
  }

  async function* pageKlines(symbol: string, interval: string, startTime: number, endTime?: number, limit = 1000): AsyncGenerator<KlinePage> {
    let start: number | undefined = startTime;
    while (start !== undefined) {
      const page = await fetchKlinesPage(symbol, interval, start, endTime, limit);
      yield page;
      start = page.next;
    }
  }

  return {
    fetchKlinesPage,
    pageKlines,
    serverTime,
    syncClock,
    exchangeInfo,
    get stats() {
      return stats;
    },
    budget,
  };
}
