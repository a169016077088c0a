// A real Trainflow worker for one test file: its own task queue on the run's Temporal dev server,
// its own redis-server, the workflow bundle made once by the global setup.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig, type Config } from '../../config';
import { createTrainflowWorker, type TrainflowWorker, type WorkerFactoryOptions } from '../../runtime/worker-factory';
import { paths } from '../../stack/tools';
import { useRedis, type TestRedis } from './redis';

export interface TestStack {
  config: Config;
  client: Client;
  redis: TestRedis;
  worker: TrainflowWorker;
}

let runtimeInstalled = false;
/** Test workers log errors only: the expected activity failures of retry tests are noise. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    /* already installed in this process */
  }
}

export function useStack(overrides: Partial<Config> | (() => Partial<Config>) = {}, workerOptions: WorkerFactoryOptions = {}): TestStack {
  const redis = useRedis();
  const stack = { redis } as TestStack;
  let running: Promise<void> | undefined;
  let connection: Connection | undefined;
  beforeAll(async () => {
    const queue = `test-${randomUUID().slice(0, 8)}`;
    stack.config = {
      ...loadConfig({}),
      temporalAddress: inject('temporalAddress'),
      taskQueue: queue,
      redisUrl: redis.url,
      dataDir: path.join(paths.var, 'test', queue, 'data'),
      logDir: path.join(paths.var, 'test', queue, 'log'),
      ...(typeof overrides === 'function' ? overrides() : overrides),
    };
    quietRuntime();
    stack.worker = await createTrainflowWorker(stack.config, { ...workerOptions, workflowBundle: { codePath: inject('workflowBundlePath') } });
    running = stack.worker.worker.run();
    connection = await Connection.connect({ address: stack.config.temporalAddress });
    stack.client = new Client({ connection, namespace: stack.config.namespace });
  }, 60_000);
  afterAll(async () => {
    stack.worker?.worker.shutdown();
    await running;
    await stack.worker?.close();
    await connection?.close();
  }, 60_000);
  return stack;
}
