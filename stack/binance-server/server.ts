// A local Binance-compatible market-data server (GET /api/v3/ping, time, exchangeInfo, klines;
// GET /fapi/v1/fundingRate with SIMULATED rates, see funding.ts)
// over the project's real 1m klines, with Binance's weight limits (429 / 418 bans), a settable
// clock, added latency and fault injection, so the pipeline's real HTTP client can be tested.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KlineSource } from './kline-source';
import { select1mIndexes, selectKlines, RowCache } from './aggregate';
import { errors, errorJson, type BinanceError } from './binance-errors';
import { checkParamNames, parseKlinesParams, SYMBOL_PATTERN } from './params';
import { WeightLimiter, windowSpec } from './weight-limiter';
import { FaultInjector, type FaultKind, type FaultPlan } from './faults';
import { createFundingEndpoint, FUNDING_PATH } from './funding';
import { ArchiveHost, type ArchiveFaults } from './archives';

export interface BinanceServerOptions {
  port?: number;
  host?: string;
  /** Folder of SYMBOL-1m.csv.gz files (default data/klines). */
  dataDir?: string;
  /** The exchange's clock: serverTime, the Date header, the still-open bar. Default Date.now. */
  now?: () => number;
  /** Added to every request before it is handled. */
  latencyMs?: number;
  /** REQUEST_WEIGHT per window per IP (default 6000 per 60 s). */
  weightLimit?: number;
  weightWindowMs?: number;
  /** Length of a 418 ban (default 120 s, Binance's shortest). */
  banMs?: number;
  /** Requests inside a Retry-After before the IP is banned (default 3, the third is answered 418). */
  violationsBeforeBan?: number;
  faults?: FaultPlan;
  /**
   * Another client on the same IP (as every request here comes from loopback): it spends this
   * much weight per window, evenly, seen by our clients only in X-MBX-USED-WEIGHT-*. 0 = none.
   */
  sameIpWeightPerWindow?: number;
  /** Archives (data.binance.vision layout under /data/) made missing, corrupt or short. */
  archiveFaults?: ArchiveFaults;
  /** Load every symbol and build its 1m rows before listening (benchmarks); 'archives' also builds every 1m archive. */
  preload?: boolean | 'archives';
}

export type SettableOptions = Omit<BinanceServerOptions, 'port' | 'host' | 'dataDir' | 'preload'>;

export interface BinanceServerStats {
  requests: number;
  klinesRequests: number;
  klinesRows: number;
  status429: number;
  status418: number;
  status4xx: number;
  /** Requests sent inside a Retry-After the IP had been given (Binance counts these towards a ban). */
  retryAfterViolations: number;
  faults: number;
  /** Weight charged (accepted requests). */
  weight: number;
  /** Archive zips served (not charged: the archive host has no weight limit), their bytes and bars, .CHECKSUM files served. */
  archiveFiles: number;
  archiveBytes: number;
  archiveRows: number;
  archiveChecksums: number;
  /** Weight the simulated same-IP client spent, and the times it was refused (429/418). */
  sameIpWeight: number;
  sameIpRefused: number;
  /** Most requests being handled at once: of any kind (archive files included), and of /api/v3/klines. */
  inFlightMax: number;
  klinesInFlightMax: number;
}

export interface BinanceServer {
  url: string;
  port: number;
  close(): Promise<void>;
  setOptions(partial: SettableOptions): void;
  readonly stats: BinanceServerStats;
  resetStats(): void;
  /** Forgets all weight windows, waits and bans. */
  resetLimits(): void;
}

const WEIGHTS: Record<string, number> = {
  '/api/v3/ping': 1,
  '/api/v3/time': 1,
  '/api/v3/exchangeInfo': 20,
  '/api/v3/klines': 2,
};

const QUOTES = ['USDT', 'FDUSD', 'USDC', 'BUSD', 'TUSD', 'BTC', 'ETH', 'BNB', 'EUR', 'TRY'];

function splitSymbol(symbol: string): { baseAsset: string; quoteAsset: string } {
  const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length) ?? '';
  return { baseAsset: symbol.slice(0, symbol.length - quote.length), quoteAsset: quote };
}

const emptyStats = (): BinanceServerStats => ({
  requests: 0, klinesRequests: 0, klinesRows: 0, status429: 0, status418: 0, status4xx: 0, retryAfterViolations: 0, faults: 0, weight: 0,
  archiveFiles: 0, archiveBytes: 0, archiveRows: 0, archiveChecksums: 0, sameIpWeight: 0, sameIpRefused: 0, inFlightMax: 0, klinesInFlightMax: 0,
});

export async function startBinanceServer(opts: BinanceServerOptions = {}): Promise<BinanceServer> {
  const source = new KlineSource(opts.dataDir);
  if (opts.preload) for (const s of source.symbols()) source.rows1m(s, 0, source.bars(s).length);
  const archives = new ArchiveHost(source);
  archives.faults = opts.archiveFaults ?? {};
  if (opts.preload === 'archives') for (const kind of ['monthly', 'daily'] as const) archives.preload(kind, '1m', (opts.now ?? Date.now)());
  const o: Required<Omit<SettableOptions, 'faults' | 'preload' | 'archiveFaults'>> = {
    now: opts.now ?? Date.now,
    latencyMs: opts.latencyMs ?? 0,
    weightLimit: opts.weightLimit ?? 6000,
    weightWindowMs: opts.weightWindowMs ?? 60_000,
    banMs: opts.banMs ?? 120_000,
    violationsBeforeBan: opts.violationsBeforeBan ?? 3,
    sameIpWeightPerWindow: opts.sameIpWeightPerWindow ?? 0,
  };
  windowSpec(o.weightWindowMs);
  const limiter = new WeightLimiter({ limit: o.weightLimit, windowMs: o.weightWindowMs, banMs: o.banMs, violationsBeforeBan: o.violationsBeforeBan });
  const faults = new FaultInjector();
  faults.set(opts.faults);
  let stats = emptyStats();
  const sockets = new Set<Socket>();
  const rowCache = new RowCache();
  const funding = createFundingEndpoint(source);

  const exchangeInfo = (params: URLSearchParams): BinanceError | string => {
    const bad = checkParamNames(params, ['symbol', 'symbols']);
    if (bad) return bad;
    let symbols = source.symbols();
    const one = params.get('symbol');
    const many = params.get('symbols');
    const wanted = one ? [one] : many ? (JSON.parse(many) as string[]) : undefined;
    if (wanted) {
      for (const s of wanted) {
        if (!new RegExp(SYMBOL_PATTERN).test(s)) return errors.illegalChars('symbol', SYMBOL_PATTERN);
        if (!symbols.includes(s)) return errors.badSymbol();
      }
      symbols = wanted;
    }
    const win = windowSpec(o.weightWindowMs);
    return JSON.stringify({
      timezone: 'UTC',
      serverTime: o.now(),
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: win.interval, intervalNum: win.intervalNum, limit: o.weightLimit },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
        { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
      ],
      exchangeFilters: [],
      symbols: symbols.map((symbol) => ({
        symbol,
        status: 'TRADING',
        ...splitSymbol(symbol),
        baseAssetPrecision: 8,
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: [],
        permissions: [],
        permissionSets: [['SPOT']],
      })),
    });
  };

  const klines = (params: URLSearchParams): BinanceError | string => {
    const p = parseKlinesParams(params, (s) => source.has(s));
    if (!p.ok) return p.error;
    const now = o.now();
    if (p.value.intervalMs === 60_000) {
      const [from, to] = select1mIndexes(source.bars(p.value.symbol), { ...p.value, now });
      stats.klinesRows += to - from;
      return `[${source.rows1m(p.value.symbol, from, to).join(',')}]`;
    }
    const rows = selectKlines(source.bars(p.value.symbol), { ...p.value, now });
    stats.klinesRows += rows.length;
    return rowCache.json(`${p.value.symbol}:${p.value.intervalMs}:${p.value.tzOffsetMs}`, rows, now);
  };

  const route = (path: string, params: URLSearchParams): BinanceError | string => {
    switch (path) {
      case '/api/v3/ping':
        return checkParamNames(params, []) ?? '{}';
      case '/api/v3/time':
        return checkParamNames(params, []) ?? JSON.stringify({ serverTime: o.now() });
      case '/api/v3/exchangeInfo':
        return exchangeInfo(params);
      case '/api/v3/klines':
        return klines(params);
      default:
        return { status: 404, code: -1000, msg: 'Not found.' };
    }
  };

  const send = (res: http.ServerResponse, status: number, body: string, used: number, extra: Record<string, string> = {}, fault?: FaultKind) => {
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json;charset=UTF-8',
      [`X-MBX-USED-WEIGHT-${windowSpec(o.weightWindowMs).suffix}`]: used,
      Date: new Date(o.now()).toUTCString(),
      ...extra,
    };
    if (fault === 'truncate') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    headers['Content-Length'] = Buffer.byteLength(body);
    res.writeHead(status, headers);
    if (fault === 'drop') {
      // Promise the whole body, send half of it, then cut the connection.
      res.write(body.slice(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  };

  // Not Binance: lets a benchmark or test drive a server running in another process.
  const admin = (path: string, res: http.ServerResponse) => {
    if (path === '/_local/reset') {
      stats = emptyStats();
      limiter.reset();
      funding.reset();
    }
    res.writeHead(path === '/_local/stats' || path === '/_local/reset' ? 200 : 404, { 'Content-Type': 'application/json' });
    const cpu = process.cpuUsage();
    res.end(JSON.stringify({ ...stats, cpuMs: (cpu.user + cpu.system) / 1000 }));
  };

  const serveArchive = async (path: string, res: http.ServerResponse) => {
    if (o.latencyMs > 0) await new Promise((r) => setTimeout(r, o.latencyMs));
    archives.stats = stats; // the archive host counts into the server's stats
    const r = archives.get(path, o.now()) ?? { status: 404, body: 'Not Found', type: 'text/plain' };
    res.writeHead(r.status, { 'Content-Type': r.type, 'Content-Length': Buffer.byteLength(r.body) });
    res.end(r.body);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/_local/')) return admin(url.pathname, res);
    if (url.pathname.startsWith('/data/')) return serveArchive(url.pathname, res);
    stats.requests++;
    if (o.latencyMs > 0) await new Promise((r) => setTimeout(r, o.latencyMs));
    const ip = req.socket.remoteAddress ?? 'unknown';
    // Futures market data (SIMULATED, derived from the spot klines) has its own request limit.
    if (url.pathname === FUNDING_PATH && req.method === 'GET') return funding.handle(url.searchParams, ip, o.now(), res);
    const weight = WEIGHTS[url.pathname] ?? 1;
    if (url.pathname === '/api/v3/klines') stats.klinesRequests++;
    chargeSameIp(ip);
    const verdict = limiter.charge(ip, weight);
    if (verdict.status !== 200) {
      if (verdict.status === 418 || verdict.violation) stats.retryAfterViolations++;
      if (verdict.status === 429) stats.status429++;
      else stats.status418++;
      const body = verdict.status === 429
        ? errors.tooMuchWeight(o.weightLimit, `${windowSpec(o.weightWindowMs).intervalNum} ${windowSpec(o.weightWindowMs).interval}`)
        : errors.banned(verdict.untilMs);
      return send(res, verdict.status, errorJson(body), verdict.used, { 'Retry-After': String(verdict.retryAfterS) });
    }
    stats.weight += weight;
    const fault = req.method === 'GET' ? faults.pick(url.pathname) : undefined;
    if (fault) stats.faults++;
    if (fault === 'timeout') return; // hang until the client gives up (close() destroys the socket)
    if (fault && /^5\d\d$/.test(fault)) return send(res, Number(fault), '<html><body><h1>' + fault + ' Service Unavailable</h1></body></html>', verdict.used, { 'Content-Type': 'text/html' });
    if (req.method !== 'GET') return send(res, 405, errorJson({ status: 405, code: -1000, msg: 'Method not allowed.' }), verdict.used);
    let out: BinanceError | string;
    try {
      out = fault === 'empty' && url.pathname === '/api/v3/klines' ? '[]' : route(url.pathname, url.searchParams);
    } catch (e) {
      out = { status: 500, code: -1000, msg: `An unknown error occurred while processing the request. (${(e as Error).message})` };
    }
    if (typeof out === 'string') return send(res, 200, out, verdict.used, {}, fault);
    if (out.status >= 400 && out.status < 500) stats.status4xx++;
    return send(res, out.status, errorJson(out), verdict.used, {}, fault);
  };

  // The simulated same-IP client: its weight so far is rate x time, charged in 2-weight requests
  // (a klines call) whenever anything happens, and every 20 ms.
  let sameIpSince = 0;
  let sameIpOwed = 0;
  const chargeSameIp = (ip = '127.0.0.1') => {
    const now = Date.now();
    if (!o.sameIpWeightPerWindow) return void (sameIpSince = now);
    // What accrued in an earlier window was that window's: a timer that fires late (a busy event
    // loop) must not move it into this one, or the other client spends more than its rate here.
    const since = Math.max(sameIpSince || now, Math.floor(now / o.weightWindowMs) * o.weightWindowMs);
    sameIpOwed += ((now - since) * o.sameIpWeightPerWindow) / o.weightWindowMs;
    sameIpSince = now;
    // A polite client: told to wait, it waits (and does not make up for it later).
    if (limiter.waiting(ip, now)) return void (sameIpOwed = 0);
    for (; sameIpOwed >= 2; sameIpOwed -= 2) {
      if (limiter.charge(ip, 2).status === 200) stats.sameIpWeight += 2;
      else stats.sameIpRefused++;
    }
  };
  const sameIpTimer = setInterval(() => chargeSameIp(), 20);
  sameIpTimer.unref();

  const inFlight = { all: 0, klines: 0 };
  const server = http.createServer((req, res) => {
    const klines = req.url?.startsWith('/api/v3/klines?') ?? false;
    inFlight.all++;
    if (klines) inFlight.klines++;
    stats.inFlightMax = Math.max(stats.inFlightMax, inFlight.all);
    stats.klinesInFlightMax = Math.max(stats.klinesInFlightMax, inFlight.klines);
    res.once('close', () => {
      inFlight.all--;
      if (klines) inFlight.klines--;
    });
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    get stats() {
      return stats;
    },
    resetStats() {
      stats = emptyStats();
    },
    resetLimits() {
      limiter.reset();
      funding.reset();
    },
    setOptions(partial) {
      for (const [k, v] of Object.entries(partial)) if (k !== 'faults' && k !== 'archiveFaults' && v !== undefined) (o as any)[k] = v;
      if (partial.weightWindowMs !== undefined) windowSpec(partial.weightWindowMs);
      limiter.limits = { limit: o.weightLimit, windowMs: o.weightWindowMs, banMs: o.banMs, violationsBeforeBan: o.violationsBeforeBan };
      if ('faults' in partial) faults.set(partial.faults);
      if ('archiveFaults' in partial) archives.faults = partial.archiveFaults ?? {};
    },
    close() {
      clearInterval(sameIpTimer);
      return new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
    },
  };
}
