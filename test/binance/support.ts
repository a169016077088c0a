// Shared by the binance tests: the real kline files as the expected answer, a local server per
// test file, and clients with their own weight budget (tests change the server's limits).
import { afterAll, beforeAll } from 'vitest';
import { klineFile, readKlinesCsv } from '../../activities/binance/kline-csv';
import type { Kline } from '../../activities/binance/kline';
import { startBinanceServer, type BinanceServer, type BinanceServerOptions } from '../../stack/binance-server/server';
import { createBinanceClient, type BinanceClientOptions } from '../../activities/binance/client';
import { WeightBudget } from '../../activities/binance/weight-budget';

const csvCache = new Map<string, Kline[]>();

export function csvKlines(symbol: string): Kline[] {
  let k = csvCache.get(symbol);
  if (!k) csvCache.set(symbol, (k = readKlinesCsv(klineFile(symbol, '1m'))));
  return k;
}

/** CSV 1m bars with open time in [from, to]. */
export function csvRange(symbol: string, from: number, to: number): Kline[] {
  return csvKlines(symbol).filter((k) => k.openTime >= from && k.openTime <= to);
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
