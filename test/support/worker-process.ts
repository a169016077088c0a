// A worker in its own OS process (`node --import tsx worker.ts`), for tests that kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../../config';
import { paths } from '../../stack/tools';

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** kill -9: no shutdown, no last heartbeat, like a machine that dies. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves with the exit code (null if killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
}

export function spawnWorker(config: Config, bundlePath: string, extraEnv: NodeJS.ProcessEnv = {}): WorkerProcess {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(paths.root, 'worker.ts')], {
    cwd: paths.root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: config.temporalAddress,
      TRAINFLOW_TASK_QUEUE: config.taskQueue,
      REDIS_URL: config.redisUrl,
      BINANCE_BASE_URL: config.binanceBaseUrl,
      TRAINFLOW_DATA_DIR: config.dataDir,
      TRAINFLOW_PIPELINES_DIR: config.pipelinesDir,
      TRAINFLOW_LOG_DIR: config.logDir,
      TRAINFLOW_WORKFLOW_BUNDLE: bundlePath,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => out,
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
