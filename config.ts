// Where Trainflow's services live. Every value can be overridden by the environment, so the
// same code talks to the local stack, to a test stack on other ports, or to api.binance.com.
import path from 'node:path';
import { loadTemporalProfile, type TemporalProfile } from './runtime/temporal-config';

const root = __dirname;

// TRAINFLOW_PORT_OFFSET shifts every local-stack port, so two checkouts can each run a stack.
const portOffset = Number(process.env.TRAINFLOW_PORT_OFFSET ?? 0) || 0;
export const STACK_PORTS = {
  temporal: 7233 + portOffset,
  temporalUi: 8233 + portOffset,
  redis: 6390 + portOffset,
  binance: 9090 + portOffset,
};

export interface Config {
  temporalAddress: string;
  namespace: string;
  /**
   * How to reach a Temporal cluster beyond its address: TLS (client certificate and key, CA,
   * server name) and API key, from TEMPORAL_* variables or a Temporal config file (TOML
   * profiles; see runtime/temporal-config.ts). Absent for the local stack.
   */
  temporal?: TemporalProfile;
  taskQueue: string;
  redisUrl: string;
  binanceBaseUrl: string;
  /** Host of the bulk kline archives; unset: data.binance.vision for Binance, else binanceBaseUrl. */
  binanceArchiveUrl?: string;
  dataDir: string;
  pipelinesDir: string;
  /** The worker's activity log (activities.jsonl) and the local stack's service logs. */
  logDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const temporal = loadTemporalProfile(env);
  return {
    temporalAddress: temporal.address ?? `127.0.0.1:${STACK_PORTS.temporal}`,
    namespace: temporal.namespace ?? 'default',
    ...(temporal.apiKey !== undefined || temporal.tls !== undefined || temporal.grpcMeta !== undefined ? { temporal } : {}),
    taskQueue: env.TRAINFLOW_TASK_QUEUE ?? 'trainflow',
    redisUrl: env.REDIS_URL ?? `redis://127.0.0.1:${STACK_PORTS.redis}`,
    binanceBaseUrl: env.BINANCE_BASE_URL ?? `http://127.0.0.1:${STACK_PORTS.binance}`,
    ...(env.BINANCE_ARCHIVE_URL ? { binanceArchiveUrl: env.BINANCE_ARCHIVE_URL } : {}),
    dataDir: path.resolve(env.TRAINFLOW_DATA_DIR ?? path.join(root, 'var', 'data')),
    pipelinesDir: path.resolve(env.TRAINFLOW_PIPELINES_DIR ?? path.join(root, 'pipelines')),
    logDir: path.resolve(env.TRAINFLOW_LOG_DIR ?? path.join(root, 'var', 'log')),
  };
}

export const projectRoot = root;
