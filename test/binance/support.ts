// Shared by the binance tests: the real kline files as the expected answer, a local server per
// test file, and clients with their own weight budget (tests change the server's limits).
import { afterAll, beforeAll } from 'vitest';
import { KlineSource } from '../../stack/binance-server/kline-source';
import type { Kline } from '../../activities/binance/kline';
import { startBinanceServer, type BinanceServer, type BinanceServerOptions } from '../../stack/binance-server/server';
import { createBinanceClient, type BinanceClientOptions } from '../../activities/binance/client';
import { WeightBudget } from '../../activities/binance/weight-budget';

/** The data/klines 1m bars (readKlinesCsv, cached per process and shared with local servers). */
export function csvKlines(symbol: string): Kline[] {
  return new KlineSource().bars(symbol);
}

/** CSV 1m bars with open time in [from, to]. */
export function csvRange(symbol: string, from: number, to: number): Kline[] {
  const bars = csvKlines(symbol);
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid].openTime < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Kline[] = [];
  for (let i = lo; i < bars.length && bars[i].openTime <= to; i++) out.push(bars[i]);
  return out;
}

export const t = (iso: string) => Date.parse(iso);

export function useBinanceServer(opts: BinanceServerOptions = {}): { server: BinanceServer } {
  const handle = {} as { server: BinanceServer };
  beforeAll(async () => {
    handle.server = await startBinanceServer(opts);
  });
  afterAll(async () => {
    await handle.server?.close();
  });
  return handle;
}

export function testClient(server: BinanceServer, opts: Partial<BinanceClientOptions> = {}) {
  return createBinanceClient({
    baseUrl: server.url,
    budget: new WeightBudget(),
    timeoutMs: 1000,
    backoffMs: 10,
    ...opts,
  });
}

export async function getJson(url: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, body, headers: res.headers };
}
