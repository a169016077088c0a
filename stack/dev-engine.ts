// A throwaway engine for benchmarks and scripts: a Temporal dev server (the project's CLI, with
// Trainflow's search attributes), a redis-server under var/, and an in-process worker with every
// activity type. `close()` stops all three.
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { temporalCli, paths } from './tools';
import { startRedis } from './redis';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { createTrainflowWorker } from '../runtime/worker-factory';
import { loadConfig, type Config } from '../config';
import { compilePipeline, formatError } from '../dsl';
import { catalog } from '../activities/catalog';
import { pathRoots } from '../activities/paths';
import type { Plan } from '../dsl/plan';

export interface DevEngine {
  env: TestWorkflowEnvironment;
  worker: Worker;
  config: Config;
  close(): Promise<void>;
}

export async function startDevEngine(opts: { name: string; workflowsPath?: string; maxConcurrentActivities?: number }): Promise<DevEngine> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCli() }, searchAttributes: SEARCH_ATTRIBUTES, extraArgs: ['--log-level', 'error'] },
  });
  const redisProc = await startRedis({ dir: path.join(paths.var, 'bench', `redis-${opts.name}-${process.pid}`) });
  const config = { ...loadConfig({}), temporalAddress: env.connection.options.address, redisUrl: redisProc.url, taskQueue: opts.name };
  const trainflow = await createTrainflowWorker(config, {
    workflowsPath: opts.workflowsPath,
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? 100,
  });
  return {
    env,
    worker: trainflow.worker,
    config,
    async close() {
      await trainflow.close();
      await redisProc.stop();
      await env.teardown();
    },
  };
}

export function compileOrThrow(yaml: string, file: string): Plan {
  const { plan, errors } = compilePipeline(yaml, { file, catalog, roots: pathRoots(loadConfig()) });
  if (!plan) throw new Error(errors.map(formatError).join('\n'));
  return plan;
}
