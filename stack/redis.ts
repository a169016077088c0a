// Runs Debian's redis-server on loopback with AOF on and its files in a folder of ours.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { redisServer } from './tools';
import { freePort, waitForPort } from './ports';

export interface RedisProcess {
  url: string;
  port: number;
  dir: string;
  pid: number;
  /** Stops the server (SIGTERM, waits for exit). */
  stop(): Promise<void>;
  /** Stops and starts again on the same port and folder (data survives through the AOF). */
  restart(): Promise<void>;
}

export function redisArgs(port: number, dir: string, password?: string): string[] {
  return ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes',
    '--appendfsync', 'everysec', '--save', '', '--protected-mode', 'yes', '--daemonize', 'no',
    ...(password ? ['--requirepass', password] : [])];
}

/** `password`: require it (AUTH); the url then carries it, as REDIS_URL would. */
export async function startRedis(opts: { dir: string; port?: number; detached?: boolean; password?: string }): Promise<RedisProcess> {
  mkdirSync(opts.dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(redisServer(), redisArgs(port, opts.dir, opts.password), {
      stdio: 'ignore',
      detached: opts.detached ?? false,
    });
    if (opts.detached) child.unref();
    await waitForPort(port, '127.0.0.1', 15_000);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  await launch();
  return {
    url: opts.password ? `redis://:${encodeURIComponent(opts.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    port,
    dir: opts.dir,
    get pid() {
      return child.pid!;
    },
    stop,
    async restart() {
      await stop();
      await launch();
    },
  };
}
