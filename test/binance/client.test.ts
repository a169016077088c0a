import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../activities/errors';
import type { Kline } from '../../activities/binance/kline';
import type { BinanceClient } from '../../activities/binance/client';
import { csvRange, getJson, t, testClient, useBinanceServer } from './support';
import { WeightBudget } from '../../activities/binance/weight-budget';

const ctx = useBinanceServer();

async function collect(client: BinanceClient, symbol: string, interval: string, from: number, to: number, limit = 1000) {
  const klines: Kline[] = [];
  const gaps: [number, number][] = [];
  let pages = 0;
  for await (const page of client.pageKlines(symbol, interval, from, to, limit)) {
    klines.push(...page.klines);
    gaps.push(...page.gaps);
    pages++;
  }
  return { klines, gaps, pages };
}

function expectNoDuplicatesOrHoles(klines: Kline[], intervalMs: number) {
  for (let i = 1; i < klines.length; i++) expect(klines[i].openTime - klines[i - 1].openTime).toBe(intervalMs);
}

describe('kline client: paging', () => {
  it('pages across a day and month boundary with no gap and no duplicate', async () => {
    const from = t('2023-03-31T22:00:00Z');
    const to = t('2023-04-01T02:00:00Z');
    const r = await collect(testClient(ctx.server), 'BTCUSDT', '1m', from, to, 100);
    expect(r.pages).toBe(3);
    expect(r.gaps).toEqual([]);
    expect(r.klines).toHaveLength(241);
    expectNoDuplicatesOrHoles(r.klines, 60_000);
    expect(r.klines).toEqual(csvRange('BTCUSDT', from, to));
  });

  it('pages several thousand bars over a month end exactly', async () => {
    const from = t('2023-03-30T00:00:00Z');
    const to = t('2023-04-02T00:00:00Z');
    const client = testClient(ctx.server);
    const r = await collect(client, 'BTCUSDT', '1m', from, to);
    expect(r.klines).toHaveLength(4321);
    expect(r.pages).toBe(5);
    expect(r.klines).toEqual(csvRange('BTCUSDT', from, to));
    expect(client.stats.klinesRequests).toBe(5);
  });

  it('reports the 2023-03-24 trading halt (80 minutes) as a gap and does not fill it', async () => {
    const from = t('2023-03-24T12:00:00Z');
    const to = t('2023-03-24T15:00:00Z');
    const r = await collect(testClient(ctx.server), 'BTCUSDT', '1m', from, to, 60);
    expect(r.gaps).toEqual([[t('2023-03-24T12:40:00Z'), t('2023-03-24T13:59:00Z')]]);
    expect(r.klines).toHaveLength(181 - 80);
    expect(r.klines).toEqual(csvRange('BTCUSDT', from, to));
    const gapOf5m = await collect(testClient(ctx.server), 'BTCUSDT', '5m', from, to);
    expect(gapOf5m.gaps).toEqual([[t('2023-03-24T12:40:00Z'), t('2023-03-24T13:55:00Z')]]);
  });

  it('drops the still-open bar at the server clock', async () => {
    const now = t('2023-04-10T05:30:30Z');
    ctx.server.setOptions({ now: () => now });
    try {
      const page = await testClient(ctx.server).fetchKlinesPage('BTCUSDT', '1h', t('2023-04-10T00:00:00Z'));
      expect(page.klines.map((k) => k.openTime)).toEqual([0, 1, 2, 3, 4].map((h) => t(`2023-04-10T0${h}:00:00Z`)));
      expect(page.openBar?.openTime).toBe(t('2023-04-10T05:00:00Z'));
      expect(page.gaps).toEqual([]);
      expect(page.next).toBeUndefined();
      // Just after the 2023-03-24 halt began, its first minutes may still be on their way: not gaps yet.
      ctx.server.setOptions({ now: () => t('2023-03-24T12:45:10Z') });
      const early = await testClient(ctx.server).fetchKlinesPage('BTCUSDT', '1m', t('2023-03-24T12:30:00Z'));
      expect(early.klines).toHaveLength(10);
      expect(early.gaps).toEqual([[t('2023-03-24T12:40:00Z'), t('2023-03-24T12:43:00Z')]]);
    } finally {
      ctx.server.setOptions({ now: Date.now });
    }
  });
});

describe('kline client: errors and faults', () => {
  it('surfaces Binance rejections as non-retryable errors with the exchange message', async () => {
    const client = testClient(ctx.server);
    const symbol = await client.fetchKlinesPage('NOPEUSDT', '1m', t('2023-04-01T00:00:00Z')).catch((e) => e);
    expect(symbol).toBeInstanceOf(NonRetryableError);
    expect(symbol.code).toBe('BinanceRejected');
    expect(symbol.message).toMatch(/Invalid symbol\. \(code -1121, HTTP 400\)/);
    const interval = await client.fetchKlinesPage('BTCUSDT', '7m', t('2023-04-01T00:00:00Z')).catch((e) => e);
    expect(interval).toBeInstanceOf(NonRetryableError);
    expect(interval.message).toMatch(/Invalid interval\. \(code -1120, HTTP 400\)/);
    expect(client.stats.retries).toBe(0);
  });

  it('retries 5xx, truncated and garbled bodies, dropped connections, timeouts and empty pages; the result is still exact', async () => {
    const from = t('2023-03-30T00:00:00Z');
    const to = t('2023-04-02T00:00:00Z');
    ctx.server.setOptions({ faults: { next: ['503', 'truncate', 'drop', 'timeout', 'empty', '502', '504', '500'] } });
    try {
      const client = testClient(ctx.server, { timeoutMs: 300 });
      const r = await collect(client, 'BTCUSDT', '1m', from, to);
      expect(r.gaps).toEqual([]);
      expect(r.klines).toEqual(csvRange('BTCUSDT', from, to));
      expect(ctx.server.stats.faults).toBeGreaterThanOrEqual(8);
      expect(client.stats.retries).toBe(7); // the empty page is re-asked, not retried
    } finally {
      ctx.server.setOptions({ faults: undefined });
    }
  });

  it('survives seeded random faults with an exact result', async () => {
    const from = t('2023-04-05T00:00:00Z');
    const to = t('2023-04-09T00:00:00Z');
    ctx.server.setOptions({ faults: { seed: 7, rates: { '503': 0.15, truncate: 0.1, drop: 0.1, empty: 0.1 } } });
    try {
      const r = await collect(testClient(ctx.server, { attempts: 8 }), 'BTCUSDT', '1m', from, to, 500);
      expect(r.gaps).toEqual([]);
      expect(r.klines).toEqual(csvRange('BTCUSDT', from, to));
    } finally {
      ctx.server.setOptions({ faults: undefined });
    }
  });

  it('gives up after bounded attempts with a retryable error', async () => {
    ctx.server.setOptions({ faults: { next: ['503', '503', '503'] } });
    try {
      const e = await testClient(ctx.server, { attempts: 3 }).fetchKlinesPage('BTCUSDT', '1m', t('2023-04-01T00:00:00Z')).catch((x) => x);
      expect(e).toBeInstanceOf(Error);
      expect(e).not.toBeInstanceOf(NonRetryableError);
      expect(e.message).toMatch(/Binance unavailable: .* failed 3 times, last: HTTP 503/);
    } finally {
      ctx.server.setOptions({ faults: undefined });
    }
  });
});

describe('kline client: clients sharing a budget', () => {
  it('a client whose job ends while it reads exchangeInfo for the budget does not fail the others', async () => {
    // The first exchangeInfo hangs; its client (another backfill job) is aborted meanwhile.
    ctx.server.setOptions({ faults: { paths: ['/api/v3/exchangeInfo'], next: ['timeout'] } });
    try {
      const budget = new WeightBudget();
      const ended = new AbortController();
      const first = testClient(ctx.server, { budget, signal: ended.signal, timeoutMs: 20_000 });
      const other = testClient(ctx.server, { budget, timeoutMs: 20_000 });
      const firstRead = first.syncClock();
      await new Promise((r) => setTimeout(r, 100));
      const otherRead = other.syncClock();
      await new Promise((r) => setTimeout(r, 100));
      ended.abort(new Error('that job ended'));
      await expect(firstRead).rejects.toThrow();
      // The other client reads exchangeInfo again on its own and gets the clock.
      expect(typeof (await otherRead)).toBe('number');
      expect(budget.limits?.limit).toBeGreaterThan(0);
      expect(other.stats.requests).toBe(2); // its own exchangeInfo, then /api/v3/time
    } finally {
      ctx.server.setOptions({ faults: undefined });
    }
  });
});

describe('kline client: request weight', () => {
  it('paces itself under the limit it reads from exchangeInfo: no 429', async () => {
    ctx.server.resetLimits();
    ctx.server.resetStats();
    ctx.server.setOptions({ weightLimit: 40, weightWindowMs: 1000 });
    try {
      const client = testClient(ctx.server);
      const from = t('2023-04-01T00:00:00Z');
      const r = await collect(client, 'BTCUSDT', '1m', from, from + 2899 * 60_000, 100);
      expect(r.klines).toHaveLength(2900);
      expect(ctx.server.stats.status429).toBe(0);
      expect(client.budget.waits).toBeGreaterThan(0);
    } finally {
      ctx.server.setOptions({ weightLimit: 6000, weightWindowMs: 60_000 });
      ctx.server.resetLimits();
    }
  });

  it('waits out a 429 (Retry-After) and recovers', async () => {
    ctx.server.resetLimits();
    ctx.server.resetStats();
    ctx.server.setOptions({ weightLimit: 12, weightWindowMs: 1000 });
    try {
      // Told a much larger limit, the client runs into the server's 429.
      const client = testClient(ctx.server, { weightLimit: 6000 });
      const from = t('2023-04-01T00:00:00Z');
      const to = from + 1199 * 60_000;
      const r = await collect(client, 'BTCUSDT', '1m', from, to, 100);
      expect(r.klines).toEqual(csvRange('BTCUSDT', from, to));
      expect(ctx.server.stats.status429).toBeGreaterThanOrEqual(1);
      expect(ctx.server.stats.status418).toBe(0);
      expect(ctx.server.stats.retryAfterViolations).toBe(0);
      expect(client.stats.rateLimited).toBe(ctx.server.stats.status429);
    } finally {
      ctx.server.setOptions({ weightLimit: 6000, weightWindowMs: 60_000 });
      ctx.server.resetLimits();
    }
  });

  it('stops at once on a 418 ban with a non-retryable error, and sends nothing more', async () => {
    ctx.server.resetLimits();
    ctx.server.setOptions({ weightLimit: 2, banMs: 30_000 });
    try {
      const klines = `${ctx.server.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1`;
      expect((await getJson(klines)).status).toBe(200);
      expect((await getJson(klines)).status).toBe(429);
      expect((await getJson(klines)).status).toBe(429);
      expect((await getJson(klines)).status).toBe(429);
      expect((await getJson(klines)).status).toBe(418);
      ctx.server.resetStats();
      const client = testClient(ctx.server, { weightLimit: 6000 });
      const started = Date.now();
      const e = await client.fetchKlinesPage('BTCUSDT', '1m', t('2023-04-01T00:00:00Z')).catch((x) => x);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(e).toBeInstanceOf(NonRetryableError);
      expect(e.code).toBe('BinanceBanned');
      expect(e.message).toMatch(/banned this IP \(HTTP 418: requests kept coming after 429s\) for (29|30) s/);
      const again = await client.fetchKlinesPage('BTCUSDT', '1m', t('2023-04-01T00:00:00Z')).catch((x) => x);
      expect(again.code).toBe('BinanceBanned');
      expect(ctx.server.stats.requests).toBe(1);
    } finally {
      ctx.server.setOptions({ weightLimit: 6000, banMs: 120_000 });
      ctx.server.resetLimits();
    }
  });
});
