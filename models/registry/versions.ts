// Version folders: listing, and claiming the next number by renaming a staging run into place.
import { readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { versionName, versionNumber } from './layout';

export async function listVersions(root: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map(versionNumber)
    .filter((n): n is number => n !== undefined)
    .sort((a, b) => a - b);
}

/** Moves `runDir` to the next free vNNNN under root. rename(2) onto an existing non-empty
 * folder fails, so two concurrent publishers never share a number: the loser takes the next. */
export async function claimVersion(root: string, runDir: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const versions = await listVersions(root);
    const name = versionName((versions.at(-1) ?? 0) + 1);
    try {
      await rename(runDir, path.join(root, name));
      return name;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`could not claim a version folder under ${root} after 100 attempts`);
}
