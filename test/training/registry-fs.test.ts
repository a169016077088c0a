// Registry folder mechanics without training: version claiming, the latest symlink, retention.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimVersion, pointLatest, pruneStaging, pruneVersions, readLatest } from '../../models/registry';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function stage(id: string): Promise<string> {
  const dir = path.join(root, 'staging', id);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'run.json'), JSON.stringify({ runId: id }));
  return dir;
}

describe('registry folders', () => {
  it('concurrent claims get distinct consecutive versions', async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'reg-'));
    const dirs = await Promise.all(['a', 'b', 'c', 'd'].map(stage));
    const versions = await Promise.all(dirs.map((d) => claimVersion(root, d)));
    expect([...versions].sort()).toEqual(['v0001', 'v0002', 'v0003', 'v0004']);
  });

  it('latest is replaced by rename over the old link, never missing', async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'reg-'));
    for (const id of ['a', 'b']) await claimVersion(root, await stage(id));
    expect(await readLatest(root)).toBeUndefined();
    await pointLatest(root, 'v0001');
    await pointLatest(root, 'v0002');
    expect(await readlink(path.join(root, 'latest'))).toBe('v0002');
    expect((await readdir(root)).sort()).toEqual(['latest', 'staging', 'v0001', 'v0002']);
  });

  it('retention keeps the newest N plus latest, and old staging runs are swept', async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'reg-'));
    for (const id of ['a', 'b', 'c', 'd', 'e']) await claimVersion(root, await stage(id));
    await pointLatest(root, 'v0002');
    expect(await pruneVersions(root, 2)).toEqual(['v0001', 'v0003']);
    expect((await readdir(root)).filter((f) => f.startsWith('v')).sort()).toEqual(['v0002', 'v0004', 'v0005']);
    await expect(pruneVersions(root, 0)).rejects.toThrow(/at least 1/);
    const old = await stage('old');
    await stage('fresh');
    const weekAgo = new Date(Date.now() - 8 * 86_400_000);
    await utimes(old, weekAgo, weekAgo);
    expect(await pruneStaging(root, 7 * 86_400_000)).toEqual(['old']);
    expect(await readdir(path.join(root, 'staging'))).toEqual(['fresh']);
  });
});
