// Runs `client.ts` as a user does (a child process) against a test stack's servers.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../config';
import { paths } from '../../stack/tools';

const exec = promisify(execFile);

export interface ClientResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function clientEnv(config: Config): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: config.temporalAddress,
    TRAINFLOW_TASK_QUEUE: config.taskQueue,
    REDIS_URL: config.redisUrl,
    TRAINFLOW_DATA_DIR: config.dataDir,
    TRAINFLOW_PIPELINES_DIR: config.pipelinesDir,
    TRAINFLOW_LOG_DIR: config.logDir,
  };
}

/** A client bound to `config` (read lazily: useStack fills it in beforeAll), run in `cwd`. */
export function clientRunner(config: () => Config, cwd: string, extraEnv: NodeJS.ProcessEnv = {}) {
  return async (...args: string[]): Promise<ClientResult> => {
    mkdirSync(cwd, { recursive: true });
    try {
      const { stdout, stderr } = await exec(path.join(paths.root, 'node_modules/.bin/tsx'), [path.join(paths.root, 'client.ts'), ...args], {
        env: { ...clientEnv(config()), ...extraEnv },
        cwd,
        maxBuffer: 16 << 20,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
}
