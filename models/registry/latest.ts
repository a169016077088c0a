// The `latest` pointer: a relative symlink switched atomically (new link under a temp name, then
// rename(2) over the old one), so a reader always sees either the old or the new version.
import { readlink, rename, symlink, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export const LATEST = 'latest';

export async function readLatest(root: string): Promise<string | undefined> {
  try {
    return path.basename(await readlink(path.join(root, LATEST)));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EINVAL') return undefined;
    throw err;
  }
}

export async function pointLatest(root: string, version: string): Promise<void> {
  const tmp = path.join(root, `.${LATEST}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await symlink(version, tmp);
  try {
    await rename(tmp, path.join(root, LATEST));
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}
