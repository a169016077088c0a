// `client run --param x=abc` for an integer param is refused before anything connects to
// Temporal: the address below is a listening socket that counts connections, and none arrives.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/command';
import { commands } from '../../cli/commands';
import { loadConfig } from '../../config';

let server: Server;
let connections = 0;
let address = '';

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('client run', () => {
  it('checks --param values before connecting to Temporal', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trainflow-params-'));
    const file = path.join(dir, 'p.yaml');
    writeFileSync(file, 'name: p\nparams:\n  days: { type: integer, default: 3 }\n  window: { type: duration, default: 1h }\nstages:\n  a: { uses: core.echo, with: { message: "${{ params.days }}" } }\n');
    // client.ts prints the error and exits 1.
    const run = runCli(commands, ['run', file, '--param', 'days=abc', '--param', 'window=30s1h', '--param', 'dayz=1'], loadConfig({ TEMPORAL_ADDRESS: address }));
    await expect(run).rejects.toThrow(
      [
        "unknown param 'dayz' (pipeline 'p' has: days, window)",
        "param 'days' must be an integer, got 'abc'",
        "param 'window' is not a valid duration: invalid duration '30s1h': units must go from largest to smallest, each at most once",
      ].join('\n'),
    );
    expect(connections).toBe(0);
  });
});
