// Finds the binaries that scripts/ensure-deps.sh installs (or that the user already has).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function onPath(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function temporalCli(): string {
  const candidates = [process.env.TEMPORAL_CLI, path.join(root, 'tools/venv/bin/temporal'), onPath('temporal')];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error('Temporal CLI not found: run `bash scripts/ensure-deps.sh` (or set TEMPORAL_CLI)');
  return found;
}

export function redisServer(): string {
  const candidates = [process.env.REDIS_SERVER, onPath('redis-server'), '/usr/bin/redis-server'];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error('redis-server not found: run `bash scripts/ensure-deps.sh` (or set REDIS_SERVER)');
  return found;
}

export const paths = {
  root,
  var: path.join(root, 'var'),
};
