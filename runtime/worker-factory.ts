import path from 'node:path';
// Builds the one worker that serves every pipeline: the interpreter workflow plus every
// registered activity type. Pipelines arrive as plans in workflow input, so a YAML edit never
// needs a worker restart.
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import Redis from 'ioredis';
import type { Config } from '../config';
import { createActivities } from '../activities';
import { toTemporalActivities } from '../activities/temporal-adapter';
import { Connection } from '@temporalio/client';
import { ensureSearchAttributes } from './search-attributes';

export interface TrainflowWorker {
  worker: Worker;
  redis: Redis;
  connection: NativeConnection;
  close(): Promise<void>;
}

export async function createTrainflowWorker(
  config: Config,
  opts: { workflowBundle?: WorkflowBundleOption; workflowsPath?: string; maxConcurrentActivityTaskExecutions?: number } = {},
): Promise<TrainflowWorker> {
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const admin = await Connection.connect({ address: config.temporalAddress });
  try {
    const added = await ensureSearchAttributes(admin, config.namespace);
    if (added.length) console.log(`worker: registered search attributes ${added.join(', ')} on namespace '${config.namespace}'`);
  } finally {
    await admin.close();
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: opts.workflowsPath ?? path.join(__dirname, '..', 'workflows', 'index.ts') }),
    activities: toTemporalActivities(createActivities({ redis, config })),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 50,
  });
  return {
    worker,
    redis,
    connection,
    async close() {
      redis.disconnect();
      await connection.close();
    },
  };
}
