// Downloads kline archives (data.binance.vision's layout, or the local server's copy of it): the
// zip and its .CHECKSUM (sha256) together, checks the hash, unzips, parses the CSV into the
// store's records. An archive that is missing (404), fails its checksum or does not parse is
// "unavailable", with the reason: the backfill then takes those bars another way. Transient
// faults (5xx, timeouts, dropped connections) are retried first.
import { createHash } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { INTERVAL_MS } from './kline';
import { RECORD_FIELDS } from './kline-codec';
import { ArchiveDataError, parseArchiveCsv, type ArchiveBars } from './archive-csv';
import { archivePath, type ArchiveUnit } from './archive-plan';
import { ZipError, readZip } from './zip-reader';
import { sleep } from './weight-budget';
import type { Range } from './ranges';

export type ArchiveResult = { status: 'ok'; bars: ArchiveBars; bytes: number } | { status: 'unavailable'; reason: string };

export interface ArchiveClientOptions {
  baseUrl: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Attempts per file for transient faults (default 3). */
  attempts?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface ArchiveClient {
  fetch(symbol: string, interval: string, unit: ArchiveUnit): Promise<ArchiveResult>;
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
        return Buffer.from(res.data as ArrayBuffer);
      } catch (e) {
        if (opts.signal?.aborted || e instanceof ArchiveUnavailable) throw e;
        if (!(e instanceof Transient || axios.isAxiosError(e))) throw e;
        if (++failures >= attempts) throw new ArchiveUnavailable(`${path}: ${failures} attempts failed, last: ${(e as Error).message}`);
        stats.retries++;
        await sleep(200 * 2 ** (failures - 1), opts.signal);
      }
    }
  }

  async function fetchArchive(symbol: string, interval: string, unit: ArchiveUnit): Promise<ArchiveResult> {
    const path = archivePath(symbol, interval, unit);
    const unavailable = (reason: string): ArchiveResult => {
      stats.unavailable++;
      opts.log?.('binance archive unavailable, falling back', { path, reason });
      return { status: 'unavailable', reason };
    };
    let zip: Buffer | null;
    let checksum: Buffer | null;
    try {
      [zip, checksum] = await Promise.all([get(path), get(`${path}.CHECKSUM`)]);
    } catch (e) {
      if (e instanceof ArchiveUnavailable) return unavailable(e.message);
      throw e;
    }
    if (!zip) return unavailable('no such archive (404)');
    if (!checksum) return unavailable('no .CHECKSUM file (404)');
    const expected = /^[0-9a-f]{64}/i.exec(checksum.toString('latin1').trim())?.[0].toLowerCase();
    if (!expected) return unavailable(`unreadable .CHECKSUM: ${JSON.stringify(checksum.toString('latin1').slice(0, 80))}`);
    const actual = createHash('sha256').update(zip).digest('hex');
    if (actual !== expected) return unavailable(`checksum mismatch: sha256 ${actual}, .CHECKSUM says ${expected}`);
    const I = INTERVAL_MS[interval];
    let bars: ArchiveBars;
    try {
      const csv = readZip(zip, path).filter((e) => e.name.endsWith('.csv'));
      if (csv.length !== 1) return unavailable(`expected one .csv in the zip, found ${csv.length}`);
      bars = parseArchiveCsv(csv[0].data, I, unit.start, unit.end - I, `${path}!${csv[0].name}`);
    } catch (e) {
      if (e instanceof ZipError || e instanceof ArchiveDataError) return unavailable(e.message);
      throw e;
    }
    stats.files++;
    stats.bytes += zip.length;
    return { status: 'ok', bars: keepOnly(bars, unit.need), bytes: zip.length };
  }

  return { fetch: fetchArchive, stats };
}

class ArchiveUnavailable extends Error {}

/** The bars whose open time lies in one of `need` (sorted ranges), compacted in place. */
function keepOnly(b: ArchiveBars, need: Range[]): ArchiveBars {
  if (b.n === 0 || (need.length === 1 && need[0][0] <= b.openTimes[0] && need[0][1] >= b.openTimes[b.n - 1])) return b;
  let k = 0;
  let r = 0;
  for (let i = 0; i < b.n; i++) {
    const t = b.openTimes[i];
    while (r < need.length && need[r][1] < t) r++;
    if (r === need.length) break;
    if (t < need[r][0]) continue;
    if (k !== i) {
      b.openTimes[k] = t;
      b.records.copyWithin(k * RECORD_FIELDS, i * RECORD_FIELDS, (i + 1) * RECORD_FIELDS);
    }
    k++;
  }
  return { ...b, openTimes: b.openTimes.subarray(0, k), records: b.records.subarray(0, k * RECORD_FIELDS), n: k };
}
