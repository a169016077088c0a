// Downloads kline archives (data.binance.vision's layout, or the local server's copy of it): the
// zip and its .CHECKSUM (sha256) together; a decode thread checks the hash, unzips and parses the
// CSV into the store's records (archive-decode.ts) and writes them to the store itself. An
// archive that is missing (404), fails its checksum or does not parse is "unavailable", with the
// reason: the backfill then takes those bars another way. Transient faults (5xx, timeouts,
// dropped connections) are retried first.
import axios, { type AxiosInstance } from 'axios';
import { INTERVAL_MS } from './kline';
import { decodeAndStore, type DecodeRequest, type StoredArchive, type Unavailable } from './archive-decode';
import { decodeAndStoreOffThread, threadConnection } from './archive-decode-pool';
import { archivePath, type ArchiveUnit } from './archive-plan';
import type { KlineStore } from './kline-store';
import { sleep } from './weight-budget';

export type StoredArchiveResult = { status: 'ok'; stored: StoredArchive; bytes: number } | Unavailable;

export interface ArchiveClientOptions {
  baseUrl: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Attempts per file for transient faults (default 3). */
  attempts?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Decode (checksum, unzip, parse) and write on the event loop instead of the decode threads. */
  decodeInline?: boolean;
}

export interface ArchiveClient {
  /** The archive's bars that `unit.need` asks for, written to `store` (from a decode thread when the store's connection allows). */
  fetchInto(store: KlineStore, symbol: string, interval: string, unit: ArchiveUnit): Promise<StoredArchiveResult>;
  readonly stats: { files: number; bytes: number; unavailable: number; retries: number };
}

class Transient extends Error {}

/** Where the archives of a REST base URL live: Binance's own host for Binance, else the same server. */
export function archiveBaseUrl(binanceBaseUrl: string, explicit?: string): string {
  if (explicit) return explicit;
  return /(^|\.)binance\.(com|vision)(:\d+)?$/.test(new URL(binanceBaseUrl).hostname) ? 'https://data.binance.vision' : binanceBaseUrl;
}

export function createArchiveClient(opts: ArchiveClientOptions): ArchiveClient {
  const http: AxiosInstance = axios.create({ baseURL: opts.baseUrl, timeout: opts.timeoutMs ?? 30_000, responseType: 'arraybuffer', validateStatus: () => true, transformResponse: (x) => x });
  const stats = { files: 0, bytes: 0, unavailable: 0, retries: 0 };

  async function get(path: string): Promise<Buffer | null> {
    const attempts = opts.attempts ?? 3;
    for (let failures = 0; ; ) {
      try {
        const res = await http.get(path, { signal: opts.signal });
        if (res.status === 404) return null;
        if (res.status >= 500 || res.status === 429) throw new Transient(`HTTP ${res.status}`);
        if (res.status !== 200) throw new ArchiveUnavailable(`HTTP ${res.status} for ${path}`);
        return Buffer.isBuffer(res.data) ? res.data : Buffer.from(res.data as ArrayBuffer);
      } catch (e) {
        if (opts.signal?.aborted || e instanceof ArchiveUnavailable) throw e;
        if (!(e instanceof Transient || axios.isAxiosError(e))) throw e;
        if (++failures >= attempts) throw new ArchiveUnavailable(`${path}: ${failures} attempts failed, last: ${(e as Error).message}`);
        stats.retries++;
        await sleep(200 * 2 ** (failures - 1), opts.signal);
      }
    }
  }

  const unavailable = (path: string, reason: string): Unavailable => {
    stats.unavailable++;
    opts.log?.('binance archive unavailable, falling back', { path, reason });
    return { status: 'unavailable', reason };
  };

  /** The zip and its checksum, ready to decode, or why not. */
  async function download(symbol: string, interval: string, unit: ArchiveUnit): Promise<DecodeRequest | Unavailable> {
    const path = archivePath(symbol, interval, unit);
    let zip: Buffer | null;
    let checksum: Buffer | null;
    try {
      [zip, checksum] = await Promise.all([get(path), get(`${path}.CHECKSUM`)]);
    } catch (e) {
      if (e instanceof ArchiveUnavailable) return unavailable(path, e.message);
      throw e;
    }
    if (!zip) return unavailable(path, 'no such archive (404)');
    if (!checksum) return unavailable(path, 'no .CHECKSUM file (404)');
    const I = INTERVAL_MS[interval];
    return { zip, checksum, intervalMs: I, from: unit.start, to: unit.end - I, need: unit.need, path };
  }

  async function fetchInto(store: KlineStore, symbol: string, interval: string, unit: ArchiveUnit): Promise<StoredArchiveResult> {
    const req = await download(symbol, interval, unit);
    if ('status' in req) return req;
    const bytes = req.zip.length; // read now: the zip moves to the decode thread
    const connection = opts.decodeInline ? undefined : threadConnection(store.redis);
    const r = connection
      ? await decodeAndStoreOffThread(req, { connection, namespace: store.namespace, symbol, interval })
      : await decodeAndStore(req, store, symbol, interval);
    if (r.status !== 'ok') return unavailable(req.path, r.reason);
    stats.files++;
    stats.bytes += bytes;
    return { status: 'ok', stored: r.stored, bytes };
  }

  return { fetchInto, stats };
}

class ArchiveUnavailable extends Error {}
