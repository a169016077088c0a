// A real redis-server of its own for one test file: no key collisions between files running in
// parallel, and tests may restart it.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startRedis, type RedisProcess } from '../../stack/redis';
import { paths } from '../../stack/tools';

export interface TestRedis {
  server: RedisProcess;
  /** A connected client (closed after the file's tests). */
  client: Redis;
  url: string;
}

/** Starts a redis-server before the file's tests and stops it after. Read fields inside tests. */
export function useRedis(): TestRedis {
  const handle = {} as TestRedis;
  const dir = path.join(paths.var, 'test', `redis-${randomUUID().slice(0, 8)}`);
  beforeAll(async () => {
    handle.server = await startRedis({ dir });
    handle.url = handle.server.url;
    handle.client = new Redis(handle.url, { maxRetriesPerRequest: 3 });
  }, 30_000);
  afterAll(async () => {
    handle.client?.disconnect();
    await handle.server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return handle;
}
