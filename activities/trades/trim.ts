// Deletes archived trades from the stream, only after re-reading the written archive and
// checking it against its manifest (count and sha256).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type Redis from 'ioredis';
import type { ArchiveManifest } from './archive-files';
import { parseArchiveText } from './archive-files';
import type { DayEntry } from './day-entries';
import { sha256Hex } from './files';

const BATCH = 500;

export class ArchiveVerificationError extends Error {}

export async function trimArchived(opts: {
  redis: Redis;
  stream: string;
  paths: { file: string };
  manifest: ArchiveManifest;
  entries: DayEntry[];
  idSetKey: string;
}): Promise<number> {
  const { redis, stream, paths, manifest, entries, idSetKey } = opts;
  const bytes = readFileSync(paths.file);
  const sha = sha256Hex(bytes);
  if (sha !== manifest.sha256) throw new ArchiveVerificationError(`${paths.file}: sha256 ${sha} != manifest ${manifest.sha256}; not trimming`);
  const trades = parseArchiveText(gunzipSync(bytes).toString('utf8'), paths.file);
  if (trades.length !== manifest.count) throw new ArchiveVerificationError(`${paths.file}: ${trades.length} trades != manifest count ${manifest.count}; not trimming`);
  const ids = new Set(trades.map((t) => t.id));
  const toDelete = entries.filter((e) => ids.has(e.trade.id)).map((e) => e.streamId);
  if (toDelete.length !== entries.length) throw new ArchiveVerificationError(`${paths.file}: ${entries.length - toDelete.length} stream entries missing from the archive; not trimming`);

  // Remember the ids first: imports must keep skipping these trades once they leave the stream.
  const allIds = [...ids];
  for (let i = 0; i < allIds.length; i += BATCH) await redis.sadd(idSetKey, ...allIds.slice(i, i + BATCH));
  let deleted = 0;
  for (let i = 0; i < toDelete.length; i += BATCH) deleted += await redis.xdel(stream, ...toDelete.slice(i, i + BATCH));
  return deleted;
}
