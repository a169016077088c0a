// Where a day's trade archive lives, and how to read one back.
//   <dataDir>/trades/archive/YYYY/MM/trades-YYYY-MM-DD.jsonl.gz   gzip of JSON lines, one trade
//     per line (tradeToJson: canonical key order), sorted by exit time then trade id.
//   <dataDir>/trades/archive/YYYY/MM/trades-YYYY-MM-DD.manifest.json   see ArchiveManifest.
// Those are the paths of the default stream `trade.closed`; another stream's archives live under
// <dataDir>/trades/archive/streams/<stream>/YYYY/MM/, so two streams never mix in one file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_TRADE_STREAM, parseTrade, type Trade } from './trade';

export const DAY_MS = 86_400_000;

export interface ArchiveManifest {
  day: string;
  stream: string;
  count: number;
  /** Smallest / largest stream entry id of the archived trades (null for an empty day). */
  firstStreamId: string | null;
  lastStreamId: string | null;
  /** sha256 (hex) of the .jsonl.gz bytes. */
  sha256: string;
  /** false when written with `force` before the day was closed: more trades may follow. */
  complete: boolean;
  /** Stream entries whose exit time could not be read, or that were invalid, and why. */
  malformed: Array<{ streamId: string; reason: string }>;
}

export function archivePaths(dataDir: string, day: string, stream = DEFAULT_TRADE_STREAM): { file: string; manifest: string } {
  const [y, m] = day.split('-');
  const root = path.join(dataDir, 'trades', 'archive');
  const base = stream === DEFAULT_TRADE_STREAM ? root : path.join(root, 'streams', encodeURIComponent(stream));
  const dir = path.join(base, y, m);
  return { file: path.join(dir, `trades-${day}.jsonl.gz`), manifest: path.join(dir, `trades-${day}.manifest.json`) };
}

/** 'YYYY-MM-DD' → [start, end) in ms, or undefined if it is not a real UTC calendar day. */
export function dayRange(day: string): { startMs: number; endMs: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const startMs = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  if (new Date(startMs).toISOString().slice(0, 10) !== day) return undefined;
  return { startMs, endMs: startMs + DAY_MS };
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Decompressed JSON-lines text of an archive file. */
export function readArchiveText(file: string): string {
  return gunzipSync(readFileSync(file)).toString('utf8');
}

export function parseArchiveText(text: string, file = 'archive'): Trade[] {
  const out: Trade[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]) continue;
    const r = parseTrade(JSON.parse(lines[i]));
    if (!r.ok) throw new Error(`${file}:${i + 1}: ${r.reason}`);
    out.push(r.trade);
  }
  return out;
}

/** The trades archived for `day`, or [] if the day has no archive. */
export function readArchivedDay(dataDir: string, day: string, stream = DEFAULT_TRADE_STREAM): Trade[] {
  const { file } = archivePaths(dataDir, day, stream);
  return existsSync(file) ? parseArchiveText(readArchiveText(file), file) : [];
}

/** The manifest, or undefined if absent or unreadable (it is derived data: the next archive rewrites it). */
export function readManifest(file: string): ArchiveManifest | undefined {
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ArchiveManifest) : undefined;
  } catch {
    return undefined;
  }
}
