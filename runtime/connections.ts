// The worker's connections to Temporal and Redis, with failures a person can act on: at start, a
// service that cannot be reached is named with its address and the worker exits (instead of
// ioredis printing a stack trace per reconnect while activities hang); later, a Redis outage is
// logged once when it starts and once when it ends, and a Redis command waits a bounded time and
// then fails its activity with an error that says Redis (retried per the stage's policy).
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConnectionOptions } from './temporal-config';
import Redis from 'ioredis';

export class UnreachableServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableService';
  }
}

/** The OS-level reason inside a connection error ("Connection refused", "ECONNREFUSED"). */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /message: "([^"]+)"/.exec(message)?.[1] ?? message.split('\n')[0];
}

/** `shown`: how to name the server in a message (address and settings, never a secret). */
export async function connectTemporal(options: TemporalConnectionOptions, shown = options.address): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(options);
  } catch (err) {
    const hint = options.tls || options.apiKey ? 'check the TEMPORAL_* settings' : 'start the local stack with `npm run stack up` or set TEMPORAL_ADDRESS';
    throw new UnreachableServiceError(`cannot reach Temporal at ${shown} (${reasonOf(err)}): ${hint}`);
  }
}

/** How long a Redis command may wait for a lost connection before its activity fails. */
export const REDIS_COMMAND_RETRIES = 10;
const reconnectDelayMs = (attempt: number) => Math.min(attempt * 200, 2000);

/** `shown`: the URL as messages name it (REDIS_URL with its password masked). */
export async function connectRedis(url: string, log: (line: string) => void, shown = url, connectTimeoutMs = 5000): Promise<Redis> {
  // One attempt first, so a wrong URL or a stopped server is one clear line, not a retry loop.
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: connectTimeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  let probeError: Error | undefined;
  probe.on('error', (err: Error) => (probeError ??= err));
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new UnreachableServiceError(
      `cannot reach Redis at ${shown} (${reasonOf(probeError ?? err)}): start the local stack with \`npm run stack up\` or set REDIS_URL`,
    );
  } finally {
    probe.disconnect();
  }
  const redis = new Redis(url, { maxRetriesPerRequest: REDIS_COMMAND_RETRIES, retryStrategy: reconnectDelayMs });
  let down: string | undefined;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = reasonOf(err);
    log(`worker: lost Redis at ${shown} (${down}); reconnecting — activities that need it fail after ${REDIS_COMMAND_RETRIES} tries and are retried`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = undefined;
    log(`worker: Redis at ${shown} is back`);
  });
  return redis;
}

/**
 * The error an activity fails with when Redis was the cause: ioredis says "Reached the max retries
 * per request limit" or "Connection is closed"; the stage's error should say Redis and where.
 */
export function redisFailure(err: unknown, redis: Redis, url: string): Error | undefined {
  const e = err as { name?: string; message?: string } | undefined;
  const lost = e?.name === 'MaxRetriesPerRequestError' || /Connection is closed|ECONNREFUSED|ECONNRESET/.test(e?.message ?? '');
  if (!lost || redis.status === 'ready') return undefined;
  const out = new Error(`Redis at ${url} is unreachable (${redis.status}): ${e?.message}`);
  out.name = 'RedisUnavailable';
  return out;
}
