import { describe, expect, it } from 'vitest';
import { csvRange, getJson, t, useBinanceServer } from './support';
import { startBinanceServer } from '../../stack/binance-server/server';

const H = 3_600_000;
const ctx = useBinanceServer();
const klines = (q: string) => getJson(`${ctx.server.url}/api/v3/klines?${q}`);

describe('local Binance server: klines', () => {
  it('serves 12-field rows with Binance types, 500 by default, up to 1000', async () => {
    const start = t('2023-04-10T00:00:00Z');
    const r = await klines(`symbol=BTCUSDT&interval=1m&startTime=${start}`);
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(500);
    const row = r.body[0];
    expect(row).toHaveLength(12);
    expect(row[0]).toBe(start);
    expect(row[6]).toBe(start + 59_999);
    for (const i of [1, 2, 3, 4, 5, 7, 9, 10]) expect(typeof row[i]).toBe('string');
    expect(typeof row[8]).toBe('number');
    expect(row[11]).toBe('0');
    const csv = csvRange('BTCUSDT', start, start)[0];
    expect(Number(row[1])).toBe(csv.open);
    expect(Number(row[4])).toBe(csv.close);
    expect((await klines(`symbol=BTCUSDT&interval=1m&startTime=${start}&limit=1000`)).body).toHaveLength(1000);
    const endTime = start + 9 * 60_000;
    expect((await klines(`symbol=BTCUSDT&interval=1m&startTime=${start}&endTime=${endTime}&limit=1000`)).body).toHaveLength(10);
  });

  it('rejects bad requests with Binance error bodies and HTTP 400', async () => {
    const cases: [string, number, string][] = [
      ['symbol=BTCUSDT&interval=1m&limit=1001', -1130, "Data sent for parameter 'limit' is not valid."],
      ['symbol=NOPEUSDT&interval=1m', -1121, 'Invalid symbol.'],
      ['symbol=BTCUSDT&interval=7m', -1120, 'Invalid interval.'],
      ['interval=1m', -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."],
      ['symbol=BTCUSDT', -1102, "Mandatory parameter 'interval' was not sent, was empty/null, or malformed."],
      ['symbol=btc$&interval=1m', -1100, "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'."],
      ['symbol=BTCUSDT&interval=1m&startTime=abc', -1100, "Illegal characters found in parameter 'startTime'; legal range is '^[0-9]{1,20}$'."],
      ['symbol=BTCUSDT&interval=1m&foo=1', -1104, "Not all sent parameters were read; read '2' parameter(s) but was sent '3'."],
      ['symbol=BTCUSDT&interval=1m&interval=1h', -1101, 'Duplicate values for a parameter detected.'],
    ];
    for (const [q, code, msg] of cases) {
      const r = await klines(q);
      expect(r.status, q).toBe(400);
      expect(r.body, q).toEqual({ code, msg });
    }
  });

  it('aggregates 1h from 1m exactly as computed by hand from the CSV', async () => {
    const start = t('2023-04-10T00:00:00Z');
    const r = await klines(`symbol=BTCUSDT&interval=1h&startTime=${start}&limit=24`);
    expect(r.body).toHaveLength(24);
    for (let h = 0; h < 24; h++) {
      const bars = csvRange('BTCUSDT', start + h * H, start + (h + 1) * H - 1);
      expect(bars).toHaveLength(60);
      const sum = (f: (k: (typeof bars)[0]) => number) => bars.reduce((s, k) => s + f(k), 0).toFixed(8);
      expect(r.body[h]).toEqual([
        start + h * H,
        bars[0].open.toFixed(8),
        Math.max(...bars.map((k) => k.high)).toFixed(8),
        Math.min(...bars.map((k) => k.low)).toFixed(8),
        bars[59].close.toFixed(8),
        sum((k) => k.volume),
        start + (h + 1) * H - 1,
        sum((k) => k.quoteVolume),
        bars.reduce((s, k) => s + k.trades, 0),
        sum((k) => k.takerBuyBase),
        sum((k) => k.takerBuyQuote),
        '0',
      ]);
    }
  });

  it('has no 1h bar where the exchange had no 1m bar (2023-03-24 halt), a partial one where it had some', async () => {
    const r = await klines(`symbol=BTCUSDT&interval=1h&startTime=${t('2023-03-24T11:00:00Z')}&limit=4`);
    expect(r.body.map((row: any[]) => new Date(row[0]).toISOString().slice(11, 16))).toEqual(['11:00', '12:00', '14:00', '15:00']);
    const twelve = csvRange('BTCUSDT', t('2023-03-24T12:00:00Z'), t('2023-03-24T12:59:00Z'));
    expect(twelve).toHaveLength(40);
    expect(r.body[1][4]).toBe(twelve[39].close.toFixed(8));
  });

  it('buckets by timeZone (startTime stays UTC)', async () => {
    const r = await klines(`symbol=BTCUSDT&interval=1d&startTime=${t('2023-04-10T00:00:00Z')}&limit=2&timeZone=8`);
    expect(r.body.map((row: any[]) => new Date(row[0]).toISOString())).toEqual(['2023-04-10T16:00:00.000Z', '2023-04-11T16:00:00.000Z']);
  });

  it('returns the still-open bar at the server clock, built from the 1m bars up to now', async () => {
    const now = t('2023-04-10T05:30:30Z');
    ctx.server.setOptions({ now: () => now });
    try {
      const r = await klines(`symbol=BTCUSDT&interval=1h&startTime=${t('2023-04-10T03:00:00Z')}`);
      expect(r.body).toHaveLength(3);
      const open = r.body[2];
      const bars = csvRange('BTCUSDT', t('2023-04-10T05:00:00Z'), now);
      expect(bars).toHaveLength(31);
      expect(open[0]).toBe(t('2023-04-10T05:00:00Z'));
      expect(open[6]).toBeGreaterThanOrEqual(now);
      expect(open[4]).toBe(bars[30].close.toFixed(8));
      expect(open[2]).toBe(Math.max(...bars.map((k) => k.high)).toFixed(8));
      expect(open[3]).toBe(Math.min(...bars.map((k) => k.low)).toFixed(8));
      // No startTime: the most recent bars, ending with the open one.
      const recent = await klines('symbol=BTCUSDT&interval=1m&limit=5');
      expect(recent.body.map((row: any[]) => row[0])).toEqual([26, 27, 28, 29, 30].map((m) => t(`2023-04-10T05:${m}:00Z`)));
      expect((await getJson(`${ctx.server.url}/api/v3/time`)).body).toEqual({ serverTime: now });
    } finally {
      ctx.server.setOptions({ now: Date.now });
    }
  });
});

describe('local Binance server: fault injection', () => {
  it('fails chosen request numbers deterministically, and only on klines', async () => {
    ctx.server.setOptions({ faults: { at: { 2: '503', 4: 'empty' } } });
    try {
      const q = `symbol=BTCUSDT&interval=1m&startTime=${t('2023-04-10T00:00:00Z')}&limit=3`;
      const statuses: unknown[] = [];
      for (let i = 1; i <= 5; i++) {
        expect((await getJson(`${ctx.server.url}/api/v3/ping`)).status).toBe(200);
        const r = await klines(q);
        statuses.push(r.status === 200 ? r.body.length : r.status);
      }
      expect(statuses).toEqual([3, 503, 3, 0, 3]);
    } finally {
      ctx.server.setOptions({ faults: undefined });
    }
  });

  it('truncates bodies and drops connections mid-body', async () => {
    ctx.server.setOptions({ faults: { next: ['truncate', 'drop'] } });
    try {
      const q = `${ctx.server.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${t('2023-04-10T00:00:00Z')}&limit=100`;
      const truncated = await fetch(q);
      expect(truncated.status).toBe(200);
      await expect(truncated.text().then((x) => JSON.parse(x))).rejects.toThrow(SyntaxError);
      await expect(fetch(q).then((r) => r.text())).rejects.toThrow();
    } finally {
      ctx.server.setOptions({ faults: undefined });
    }
  });
});

describe('local Binance server: other endpoints', () => {
  it('ping, time, exchangeInfo with rate limits and symbols', async () => {
    expect((await getJson(`${ctx.server.url}/api/v3/ping`)).body).toEqual({});
    const time = (await getJson(`${ctx.server.url}/api/v3/time`)).body;
    expect(Math.abs(time.serverTime - Date.now())).toBeLessThan(5000);
    const info = (await getJson(`${ctx.server.url}/api/v3/exchangeInfo`)).body;
    expect(info.timezone).toBe('UTC');
    expect(info.rateLimits).toContainEqual({ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 });
    expect(info.rateLimits.map((r: any) => r.rateLimitType)).toEqual(expect.arrayContaining(['ORDERS', 'RAW_REQUESTS']));
    expect(info.symbols.map((s: any) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']);
    expect(info.symbols[0]).toMatchObject({ status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' });
    const one = (await getJson(`${ctx.server.url}/api/v3/exchangeInfo?symbol=ETHUSDT`)).body;
    expect(one.symbols.map((s: any) => s.symbol)).toEqual(['ETHUSDT']);
    const bad = await getJson(`${ctx.server.url}/api/v3/exchangeInfo?symbol=NOPEUSDT`);
    expect([bad.status, bad.body]).toEqual([400, { code: -1121, msg: 'Invalid symbol.' }]);
  });
});

describe('local Binance server: request weight', () => {
  it('counts weight per IP in X-MBX-USED-WEIGHT-1M, answers 429 with Retry-After, counts calls inside it, bans with 418 at the third', async () => {
    const server = await startBinanceServer({ weightLimit: 25, banMs: 5000 });
    try {
      // Load the data first, so the sequence below runs well inside one minute window.
      await getJson(`${server.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1`);
      server.resetLimits();
      server.resetStats();
      const used = async (path: string) => Number((await getJson(server.url + path)).headers.get('x-mbx-used-weight-1m'));
      expect(await used('/api/v3/ping')).toBe(1);
      expect(await used('/api/v3/time')).toBe(2);
      expect(await used('/api/v3/exchangeInfo')).toBe(22);
      expect(await used('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1')).toBe(24);
      const limited = await getJson(`${server.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1`);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        code: -1003,
        msg: 'Too much request weight used; current limit is 25 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
      });
      const wait = Number(limited.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      // Calls inside the Retry-After are violations: answered 429 twice, the third earns the ban.
      for (const n of [1, 2]) {
        const again = await getJson(`${server.url}/api/v3/ping`);
        expect(again.status).toBe(429);
        expect(server.stats.retryAfterViolations).toBe(n);
      }
      const banned = await getJson(`${server.url}/api/v3/ping`);
      expect(banned.status).toBe(418);
      expect(banned.body.code).toBe(-1003);
      expect(banned.body.msg).toMatch(/^Way too much request weight used; IP banned until \d+\./);
      expect(Number(banned.headers.get('retry-after'))).toBe(5);
      expect(server.stats).toMatchObject({ status429: 3, status418: 1, retryAfterViolations: 3, weight: 24 });
    } finally {
      await server.close();
    }
  });

  it('uses a configurable window, named in the header and in exchangeInfo', async () => {
    const server = await startBinanceServer({ weightLimit: 600, weightWindowMs: 6000 });
    try {
      const r = await getJson(`${server.url}/api/v3/exchangeInfo`);
      expect(r.headers.get('x-mbx-used-weight-6s')).toBe('20');
      expect(r.body.rateLimits[0]).toEqual({ rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 6, limit: 600 });
    } finally {
      await server.close();
    }
  });
});
