// Keeps the newest `keep` versions and whatever `latest` points to; deletes the rest.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { versionName } from './layout';
import { readLatest } from './latest';
import { listVersions } from './versions';

export async function pruneVersions(root: string, keep: number): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`retention must keep at least 1 version, got ${keep}`);
  const versions = await listVersions(root);
  const latest = await readLatest(root);
  const doomed = versions.slice(0, Math.max(0, versions.length - keep)).map(versionName).filter((v) => v !== latest);
  for (const v of doomed) await rm(path.join(root, v), { recursive: true, force: true });
  return doomed;
}

/** Removes staging runs older than `maxAgeMs` (runs trained but never published, e.g. by a
 * retried training attempt). Recent ones may belong to a run still in progress. */
export async function pruneStaging(root: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  const dir = path.join(root, 'staging');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const p = path.join(dir, n);
    if (now - (await stat(p)).mtimeMs > maxAgeMs) {
      await rm(p, { recursive: true, force: true });
      removed.push(n);
    }
  }
  return removed;
}
