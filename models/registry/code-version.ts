// Which code produced a model: the git commit (with a -dirty mark) when run from a checkout,
// else the package version.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

export function codeVersion(root = path.resolve(__dirname, '../..')): string {
  if (cached) return cached;
  try {
    const rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    cached = `git:${rev}${dirty ? '-dirty' : ''}`;
  } catch {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string };
    cached = `package:${pkg.version ?? 'unknown'}`;
  }
  return cached;
}
