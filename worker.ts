// One worker serves every pipeline: the interpreter workflow and all activity types.
// Configuration comes from the environment (see config.ts); TRAINFLOW_SHUTDOWN_GRACE (a duration,
// default 10s) bounds how long SIGTERM waits for running activities.
import { loadConfig } from './config';
import { parseDuration } from './dsl/duration';
import { createTrainflowWorker, DEFAULT_SHUTDOWN_GRACE_MS } from './runtime/worker-factory';
import { UnreachableServiceError } from './runtime/connections';
import { rotationFromEnv } from './activities/activity-log';
import { describeTemporal } from './runtime/temporal-config';
import { installRedactingLogger } from './runtime/redacting-logger';
import { redactError, redactSecrets, redactUrl, secretsOf } from './lib/redact';
import { inspect } from 'node:util';

let secrets: string[] = [];

function stageCacheTtlSeconds(): number | undefined {
  const raw = process.env.TRAINFLOW_STAGE_CACHE_TTL;
  if (!raw) return undefined;
  const parsed = parseDuration(raw);
  if ('error' in parsed) throw new Error(`TRAINFLOW_STAGE_CACHE_TTL: ${parsed.error}`);
  return Math.max(1, Math.round(parsed.ms / 1000));
}

function shutdownGraceMs(): number {
  const raw = process.env.TRAINFLOW_SHUTDOWN_GRACE;
  if (!raw) return DEFAULT_SHUTDOWN_GRACE_MS;
  const parsed = parseDuration(raw);
  if ('error' in parsed) throw new Error(`TRAINFLOW_SHUTDOWN_GRACE: ${parsed.error}`);
  return parsed.ms;
}

async function main(): Promise<void> {
  const config = loadConfig();
  secrets = secretsOf(config);
  installRedactingLogger(secrets);
  const grace = shutdownGraceMs();
  // Tests pass a prebuilt workflow bundle to skip webpack (seconds) when they start workers.
  const bundle = process.env.TRAINFLOW_WORKFLOW_BUNDLE;
  // TRAINFLOW_WORKER_ACTIVITIES: activities this worker runs at once (default 50); size it to the machine.
  const slots = Number(process.env.TRAINFLOW_WORKER_ACTIVITIES) || undefined;
  const { worker, close } = await createTrainflowWorker(config, {
    ...(bundle ? { workflowBundle: { codePath: bundle } } : {}),
    ...(slots ? { maxConcurrentActivityTaskExecutions: slots } : {}),
    shutdownGraceMs: grace,
    stageCacheTtlSeconds: stageCacheTtlSeconds(),
    activityLogRotation: rotationFromEnv(process.env),
  });
  console.log(`worker: task queue '${config.taskQueue}' on ${describeTemporal(config)}; Redis ${redactUrl(config.redisUrl)}`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`worker: ${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`worker: ${signal}: no new tasks; running activities are cancelled and resume elsewhere (grace ${grace / 1000}s)`);
    worker.shutdown();
    setTimeout(() => {
      console.error(`worker: activities still running after the ${grace / 1000}s grace period; exiting anyway (they are retried after their heartbeat or start-to-close timeout)`);
      process.exit(1);
    }, grace).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await worker.run();
  await close();
  console.log('worker: stopped');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(redactSecrets(err instanceof UnreachableServiceError ? `worker: ${err.message}` : inspect(redactError(err, secrets)), secrets));
    process.exit(1);
  },
);
