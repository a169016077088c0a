// Where Trainflow's services live. Every value can be overridden by the environment, so the
// same code talks to the local stack, to a test stack on other ports, or to api.binance.com.
import path from 'node:path';

const root = __dirname;

export interface Config {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  redisUrl: string;
  binanceBaseUrl: string;
  dataDir: string;
  pipelinesDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TRAINFLOW_TASK_QUEUE ?? 'trainflow',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6390',
    binanceBaseUrl: env.BINANCE_BASE_URL ?? 'http://127.0.0.1:9090',
    dataDir: path.resolve(env.TRAINFLOW_DATA_DIR ?? path.join(root, 'var', 'data')),
    pipelinesDir: path.resolve(env.TRAINFLOW_PIPELINES_DIR ?? path.join(root, 'pipelines')),
  };
}

export const projectRoot = root;
