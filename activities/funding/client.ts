// GET /fapi/v1/fundingRate over HTTP (axios), for Binance's futures API or the local server:
// pages of up to 1000 records forward from startTime, transient faults (5xx, timeouts, dropped
// connections) retried with backoff, 429 waited out (Retry-After), 418 and other 4xx answers
// refused at once with Binance's message. The endpoint has a small limit of its own (500 requests
// per 5 minutes per IP), and a funding history needs one request per 333 days.
import axios from 'axios';
import { NonRetryableError } from '../errors';
import { parseFundingRows, type FundingRate } from './record';

export const FUNDING_PATH = '/fapi/v1/fundingRate';
const PAGE = 1000;

export interface FundingPage {
  records: FundingRate[];
  /** The X-Trainflow-Simulated header of the local server, if it sent one. */
  simulated?: string;
}

export interface FundingClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
  signal?: AbortSignal;
  /** Records per request (default and Binance's maximum: 1000). */
  pageSize?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason ?? new Error('aborted'))), { once: true });
  });

export function createFundingClient(opts: FundingClientOptions) {
  const http = axios.create({ baseURL: opts.baseUrl, timeout: opts.timeoutMs ?? 10_000, responseType: 'text', transformResponse: (x) => x, validateStatus: () => true });
  const attempts = opts.attempts ?? 5;
  const pageSize = opts.pageSize ?? PAGE;

  async function page(symbol: string, startTime: number, endTime: number): Promise<FundingPage> {
    const params = { symbol, startTime, endTime, limit: pageSize };
    const what = `GET ${FUNDING_PATH}?${new URLSearchParams(params as unknown as Record<string, string>)}`;
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      try {
        const res = await http.get(FUNDING_PATH, { params, signal: opts.signal });
        if (res.status === 200) {
          let data: unknown;
          try {
            data = JSON.parse(res.data);
          } catch {
            throw new Error(`${what}: unparseable body`);
          }
          const simulated = res.headers['x-trainflow-simulated'];
          return { records: parseFundingRows(data, symbol, what), ...(simulated ? { simulated: String(simulated) } : {}) };
        }
        if (res.status === 429) {
          problem = `HTTP 429 (waiting Retry-After ${res.headers['retry-after']} s)`;
          await sleep(Number(res.headers['retry-after'] ?? 1) * 1000, opts.signal);
          if (attempt < attempts) continue;
        } else if (res.status >= 500) problem = `HTTP ${res.status}`;
        else {
          let body: { code?: number; msg?: string } = {};
          try {
            body = JSON.parse(res.data);
          } catch {
            /* not a Binance error body */
          }
          throw new NonRetryableError(`Binance rejected ${what}: ${body.msg ?? String(res.data).slice(0, 200)} (code ${body.code ?? 'none'}, HTTP ${res.status})`, res.status === 418 ? 'BinanceBanned' : 'BinanceRejected');
        }
      } catch (e) {
        if (e instanceof NonRetryableError || opts.signal?.aborted || !axios.isAxiosError(e)) throw e;
        problem = [e.code, e.message].filter(Boolean).join(' ');
      }
      if (attempt >= attempts) throw new Error(`${what} failed ${attempts} times; last: ${problem}`);
      await sleep(Math.min(5000, (opts.backoffMs ?? 200) * 2 ** (attempt - 1)), opts.signal);
    }
  }

  /** Every record with settlement time in [from, to], page by page. */
  async function* history(symbol: string, from: number, to: number): AsyncGenerator<FundingPage> {
    let start = from;
    while (start <= to) {
      const p = await page(symbol, start, to);
      yield p;
      if (p.records.length < pageSize) return;
      start = p.records[p.records.length - 1].time + 1;
    }
  }

  return { page, history };
}
