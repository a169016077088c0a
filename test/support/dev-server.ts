// A Temporal dev server of a test's own (the project's CLI), persisted in a SQLite file, that the
// test may stop and start again on the same file and port: the shared dev server of the test run
// cannot be stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitForPort } from '../../stack/ports';
import { temporalCli } from '../../stack/tools';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

export interface DevServer {
  address: string;
  dbFile: string;
  start(): Promise<void>;
  /** SIGTERM, and wait for the process to exit. */
  stop(): Promise<void>;
}

export async function devServer(dir: string): Promise<DevServer> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const dbFile = path.join(dir, 'temporal.db');
  let child: ChildProcess | undefined;
  const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile,
    '--log-level', 'error', ...SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${k.type === 'KEYWORD' ? 'Keyword' : k.type}`])];
  return {
    address: `127.0.0.1:${port}`,
    dbFile,
    async start() {
      child = spawn(temporalCli(), args, { stdio: 'ignore' });
      await waitForPort(port, '127.0.0.1', 60_000);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
