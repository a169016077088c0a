// Builds the one worker that serves every pipeline: the interpreter workflow plus every
// registered activity type. Pipelines arrive as plans in workflow input, so a YAML edit never
// needs a worker restart.
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type Redis from 'ioredis';
import type { Config } from '../config';
import { createActivities } from '../activities';
import { catalog } from '../activities/catalog';
import { DEFAULT_CACHE_TTL_S, recordingSuccesses } from '../activities/core/stage-cache';
import type { ActivityFn } from '../activities/context';
import { toTemporalActivities } from '../activities/temporal-adapter';
import { connectRedis, connectTemporal, redisFailure } from './connections';
import { ensureSearchAttributes } from './search-attributes';
import { openActivityLog, type ActivityLog, type ActivityLogRotation } from '../activities/activity-log';
import { describeTemporal, temporalConnectionOptions } from './temporal-config';
import { redactUrl, secretsOf } from '../lib/redact';

export interface TrainflowWorker {
  worker: Worker;
  redis: Redis;
  connection: NativeConnection;
  close(): Promise<void>;
}

export interface WorkerFactoryOptions {
  workflowBundle?: WorkflowBundleOption;
  workflowsPath?: string;
  maxConcurrentActivityTaskExecutions?: number;
  /**
   * After shutdown is requested (SIGTERM), running activities get up to 2 s to finish, then are
   * cancelled (they stop at their next cancellation check and are retried elsewhere, resuming from
   * their last heartbeat); past this many ms the worker stops waiting for those that do not stop.
   * Default 10 s.
   */
  shutdownGraceMs?: number;
  log?: (line: string) => void;
  /** How long the stage cache keeps a record of a successful execution (default 30 days). */
  stageCacheTtlSeconds?: number;
  /** When the activity log is rotated and how many old files are kept (default 64 MiB, 5). */
  activityLogRotation?: ActivityLogRotation;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Throws UnreachableServiceError, naming the service and its address, if Temporal or Redis is down. */
export async function createTrainflowWorker(config: Config, opts: WorkerFactoryOptions = {}): Promise<TrainflowWorker> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const connection = await connectTemporal(temporalConnectionOptions(config), config.temporal ? describeTemporal(config) : config.temporalAddress);
  let redis: Redis | undefined;
  let activityLog: ActivityLog | undefined;
  try {
    const admin = await Connection.connect(temporalConnectionOptions(config));
    try {
      const added = await ensureSearchAttributes(admin, config.namespace);
      if (added.length) log(`worker: registered search attributes ${added.join(', ')} on namespace '${config.namespace}'`);
    } finally {
      await admin.close();
    }
    // Messages name Redis by its URL with the password masked; activities get no Temporal credentials.
    const secrets = secretsOf(config);
    redis = await connectRedis(config.redisUrl, log, redactUrl(config.redisUrl));
    const created = createActivities({ redis, config: { ...config, temporal: undefined } });
    const recorded = recordingSuccesses(created, redis, opts.stageCacheTtlSeconds ?? DEFAULT_CACHE_TTL_S, catalog);
    const activities = guardRedis(recorded, redis, redactUrl(config.redisUrl));
    activityLog = openActivityLog(config.logDir, opts.activityLogRotation);
    const grace = opts.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    const worker = await Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: opts.workflowsPath ?? path.join(__dirname, '..', 'workflows', 'index.ts') }),
      activities: toTemporalActivities(activities, activityLog, secrets),
      maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 50,
      // Short activities may finish; longer ones are cancelled and resume elsewhere.
      shutdownGraceTime: Math.min(2000, grace / 2),
      // A backstop only: worker.ts exits at `grace` with a message of its own.
      shutdownForceTime: grace + 2000,
    });
    const owned = redis;
    const ownedLog = activityLog;
    return {
      worker,
      redis: owned,
      connection,
      async close() {
        owned.disconnect();
        await connection.close();
        await ownedLog.close();
      },
    };
  } catch (err) {
    redis?.disconnect();
    await connection.close();
    await activityLog?.close();
    throw err;
  }
}

/** An activity that failed because Redis is gone says so (see connections.ts). */
function guardRedis(fns: Record<string, ActivityFn>, redis: Redis, url: string): Record<string, ActivityFn> {
  const out: Record<string, ActivityFn> = {};
  for (const [name, fn] of Object.entries(fns)) {
    out[name] = async (input, ctx) => {
      try {
        return await fn(input, ctx);
      } catch (err) {
        throw redisFailure(err, redis, url) ?? err;
      }
    };
  }
  return out;
}
