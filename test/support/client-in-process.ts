// Runs client commands in the test's own process (the same command table and dispatcher client.ts
// uses) against a test stack's real servers, capturing what they print. Far cheaper than a child
// process per call on a loaded machine; test/engine/cli.test.ts covers the real entry point.
import { format } from 'node:util';
import { runCli } from '../../cli/command';
import { commands } from '../../cli/commands';
import type { Config } from '../../config';
import type { ClientResult } from './client-process';

/** A client bound to `config` (read lazily: useStack fills it in beforeAll). Give it absolute paths:
 * the worker runs in this process too, so the working directory is not changed. */
export function clientInProcess(config: () => Config) {
  return async (...args: string[]): Promise<ClientResult> => {
    const out: string[] = [];
    const err: string[] = [];
    const saved = { log: console.log, error: console.error };
    console.log = (...a: unknown[]) => void out.push(format(...a));
    console.error = (...a: unknown[]) => void err.push(format(...a));
    try {
      const code = await runCli(commands, args, config());
      return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
    } catch (e) {
      // What client.ts does with an error a command throws.
      err.push(e instanceof Error ? e.message : String(e));
      return { code: 1, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
    } finally {
      console.log = saved.log;
      console.error = saved.error;
    }
  };
}
