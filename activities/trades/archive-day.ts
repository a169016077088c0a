// trades.archiveDay: snapshots one UTC day of the `trade.closed` stream into a gzip JSON-lines
// file plus a manifest, verifiably (count + sha256) and idempotently. See archive-files.ts for
// the file layout and trade.ts for the stream entry fields.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Redis from 'ioredis';
import type { ActivityContext } from '../context';
import { InvalidInputError, NonRetryableError } from '../errors';
import {
  archivePaths, dayRange, parseArchiveText, readArchiveText, readManifest, type ArchiveManifest,
} from './archive-files';
import { gzipDeterministic, sha256Hex, writeFileAtomic } from './files';
import { scanStream } from './stream-scan';
import { DayEntryCollector, type DayEntry } from './day-entries';
import {
  compareStreamIds, compareTrades, DEFAULT_TRADE_STREAM, tradeIdSetKey, tradeToJson, type Trade,
} from './trade';
import { trimArchived } from './trim';

export interface ArchiveDayInput {
  /** UTC day, 'YYYY-MM-DD': trades whose exit time is in [00:00:00.000, 24:00:00.000). */
  day: string;
  stream?: string;
  /** Archive even though entries for the day may still arrive (the manifest says complete: false). */
  force?: boolean;
  /** After a verified archive, delete the archived entries from the stream. */
  trim?: boolean;
  /** How long after the day's end the bot may still write trades of that day (default 10). */
  graceMinutes?: number;
}

export interface ArchiveDayDeps {
  redis: Redis;
  dataDir: string;
  /** Default grace when the input has no graceMinutes (default 10 min). */
  graceMs?: number;
  /** Current time in ms; defaults to Redis's TIME, the clock that stamps new stream entries. */
  now?: () => number | Promise<number>;
  /** Test hook, called after the stream was read and before anything is written. */
  afterRead?: () => Promise<void>;
  /** Test hook, called after the files were written and before they are verified for trimming. */
  afterWrite?: (paths: { file: string; manifest: string }) => Promise<void>;
}

export type ArchiveStatus = 'written' | 'unchanged' | 'deferred';

export interface ArchiveDayOutput {
  day: string;
  status: ArchiveStatus;
  /** Why the archive was deferred. */
  reason?: string;
  /** For 'deferred': how long until the day can be archived. */
  retryAfterMs?: number;
  count: number;
  /** Number of malformed entries (listed with stream id and reason in the manifest). */
  malformed: number;
  file: string | null;
  manifest: string | null;
  sha256: string | null;
  /** Stream entries deleted (0 unless trim). */
  trimmed: number;
}

export const DEFAULT_GRACE_MS = 10 * 60_000;

export async function archiveDay(input: ArchiveDayInput, deps: ArchiveDayDeps, ctx: ActivityContext): Promise<ArchiveDayOutput> {
  const { day, force = false, trim = false } = input ?? ({} as ArchiveDayInput);
  const stream = input?.stream ?? DEFAULT_TRADE_STREAM;
  const range = typeof day === 'string' ? dayRange(day) : undefined;
  if (!range) throw new InvalidInputError(`day must be a UTC calendar day 'YYYY-MM-DD', got ${JSON.stringify(day)}`);
  if (typeof stream !== 'string' || !stream) throw new InvalidInputError('stream must be a non-empty string');
  const { graceMinutes } = input;
  if (graceMinutes !== undefined && !(Number.isFinite(graceMinutes) && graceMinutes >= 0)) throw new InvalidInputError('graceMinutes must be a number >= 0');
  const graceMs = graceMinutes !== undefined ? graceMinutes * 60_000 : deps.graceMs ?? DEFAULT_GRACE_MS;
  const { redis, dataDir } = deps;

  // Deferral, not refusal: an early archive is an expected situation (a manual run during the
  // day, a schedule firing early), not a failure, so we return status 'deferred' with the wait
  // instead of throwing. A retryable error would make Temporal retry for up to a day; a
  // non-retryable one would fail the run. Nothing is lost while a day waits: readTrades reads
  // the live stream too, and nothing is trimmed. We key on Redis's clock, the one that stamps
  // new entries, rather than on the newest entry's id: a quiet bot writes nothing for hours,
  // which would defer a finished day forever.
  const now = deps.now ? await deps.now() : await redisTimeMs(redis);
  const closesAt = range.endMs + graceMs;
  const open = now < closesAt;
  if (open && !force) {
    const reason = now < range.endMs
      ? `day ${day} is not over yet (UTC)`
      : `within the ${graceMs} ms grace period after ${day} ended: the bot may still write trades of that day`;
    return { day, status: 'deferred', reason, retryAfterMs: closesAt - now, count: 0, malformed: 0, file: null, manifest: null, sha256: null, trimmed: 0 };
  }

  const paths = archivePaths(dataDir, day, stream);
  const previous = readManifest(paths.manifest);
  const archived = readExistingArchive(paths.file);

  // A retry rescans from the start: one scan is cheap next to a day's worth of heartbeat cursors.
  let scanned = 0;
  const collector = new DayEntryCollector(range, archived);
  for await (const page of scanStream(redis, stream, { signal: ctx.signal })) {
    collector.add(page);
    scanned += page.length;
    ctx.heartbeat({ day, scanned });
  }
  const { good, malformed } = collector;
  await deps.afterRead?.();

  const trades = mergeTrades(archived, good);
  const text = trades.map((t) => tradeToJson(t) + '\n').join('');
  const oldBytes = existsSync(paths.file) ? readFileSync(paths.file) : undefined;
  // Reuse the existing bytes when the content is the same, so a zlib upgrade never rewrites a day.
  const bytes = oldBytes && archived.length === trades.length && readArchiveText(paths.file) === text ? oldBytes : gzipDeterministic(text);
  const sha256 = sha256Hex(bytes);
  const manifest: ArchiveManifest = {
    day,
    stream,
    count: trades.length,
    ...streamIdBounds(good, previous),
    sha256,
    complete: !open,
    malformed,
  };
  const manifestText = JSON.stringify(manifest, null, 2) + '\n';

  let status: ArchiveStatus = 'unchanged';
  if (!oldBytes || !oldBytes.equals(bytes)) {
    writeFileAtomic(paths.file, bytes);
    status = 'written';
  }
  if (!existsSync(paths.manifest) || readFileSync(paths.manifest, 'utf8') !== manifestText) {
    writeFileAtomic(paths.manifest, manifestText);
    status = 'written';
  }
  ctx.log(`trades.archiveDay ${day}: ${status}, ${trades.length} trades, ${malformed.length} malformed`, { file: path.basename(paths.file) });

  await deps.afterWrite?.(paths);
  const trimmed = trim ? await trimArchived({ redis, stream, paths, manifest, entries: good, idSetKey: tradeIdSetKey(stream) }) : 0;
  return { day, status, count: trades.length, malformed: malformed.length, file: paths.file, manifest: paths.manifest, sha256, trimmed };
}

/**
 * The trades already archived for the day: kept even when they have left the stream (trimmed).
 * An unreadable archive stops the run rather than being overwritten: after a trim it may be the
 * only copy of those trades.
 */
function readExistingArchive(file: string): Trade[] {
  if (!existsSync(file)) return [];
  try {
    return parseArchiveText(readArchiveText(file), file);
  } catch (e) {
    throw new NonRetryableError(`existing archive ${file} is unreadable (${(e as Error).message}); move it aside to re-archive the day from the stream`, 'ArchiveCorrupt');
  }
}

async function redisTimeMs(redis: Redis): Promise<number> {
  const [sec, usec] = await redis.time();
  return Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
}

/** Archived trades plus the stream's, one per trade id (the archived copy wins), sorted. */
function mergeTrades(archived: Trade[], good: DayEntry[]): Trade[] {
  const byId = new Map<string, Trade>();
  for (const t of archived) byId.set(t.id, t);
  for (const e of good) if (!byId.has(e.trade.id)) byId.set(e.trade.id, e.trade);
  return [...byId.values()].sort(compareTrades);
}

/** Carries the bounds of earlier runs over, so trimming the stream never changes the manifest. */
function streamIdBounds(good: DayEntry[], previous: ArchiveManifest | undefined): Pick<ArchiveManifest, 'firstStreamId' | 'lastStreamId'> {
  const ids = good.map((e) => e.streamId);
  if (previous?.firstStreamId) ids.push(previous.firstStreamId);
  if (previous?.lastStreamId) ids.push(previous.lastStreamId);
  ids.sort(compareStreamIds);
  return { firstStreamId: ids[0] ?? null, lastStreamId: ids[ids.length - 1] ?? null };
}
