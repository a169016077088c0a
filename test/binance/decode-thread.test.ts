// The archive decode threads against a real redis-server: a Redis outage during a thread's write
// reaches the backfill as ioredis's MaxRetriesPerRequestError (its name kept across the thread
// boundary), which the worker turns into RedisUnavailable; the thread's connection comes back
// after the outage and none is left once the threads are closed (terminating a thread alone also
// drops its sockets, so this does not tell the QUIT that closeDecodeThreads sends first apart).
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis';
import { closeDecodeThreads, decodeAndStoreOffThread, threadConnection } from '../../activities/binance/archive-decode-pool';
import type { DecodeRequest } from '../../activities/binance/archive-decode';
import { redisFailure } from '../../runtime/connections';
import { writeZip } from '../../stack/binance-server/zip-writer';
import { t } from './support';

const redis = useRedis();
const M = 60_000;
const NAME = 'archive-decode-thread-test';

afterAll(() => closeDecodeThreads());

/** A two-bar archive of 2023-04-01 00:00 and 00:01, with its .CHECKSUM. */
function archive(): DecodeRequest {
  const open = t('2023-04-01T00:00:00Z');
  const row = (o: number) => `${o},100.5,101,99.5,100.25,12.5,${o + M - 1},1253.1,42,6.25,626.55,0`;
  const zip = writeZip([{ name: 'BTCUSDT-1m-2023-04-01.csv', data: Buffer.from(`${row(open)}\n${row(open + M)}\n`) }]);
  const checksum = Buffer.from(`${createHash('sha256').update(zip).digest('hex')}  BTCUSDT-1m-2023-04-01.zip\n`);
  return { zip, checksum, intervalMs: M, from: open, to: open + M, need: [[open, open + M]], path: 'BTCUSDT-1m-2023-04-01.zip' };
}

const threadClients = async () => ((await redis.client.client('LIST')) as string).split('\n').filter((l) => l.includes(`name=${NAME}`)).length;

describe('archive decode threads', () => {
  it('keep the error name of a Redis outage, reconnect after it, and leave no connection once closed', async () => {
    const own = new Redis(redis.url, { lazyConnect: true, connectionName: NAME, maxRetriesPerRequest: 1 });
    const connection = threadConnection(own)!;
    own.disconnect();
    const target = { connection, namespace: 'klines', symbol: 'BTCUSDT', interval: '1m' };

    await expect(decodeAndStoreOffThread(archive(), target)).resolves.toMatchObject({ status: 'ok', stored: { n: 2, written: 2, holes: [] } });
    expect(await threadClients()).toBe(1);

    redis.client.on('error', () => {}); // this test's own client: the outage is intended
    await redis.server.stop();
    const err = await decodeAndStoreOffThread(archive(), target).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.name).toBe('MaxRetriesPerRequestError');
    expect(err?.message).toMatch(/^archive decode thread: /);
    expect(redisFailure(err, redis.client, redis.url)?.name).toBe('RedisUnavailable');

    await redis.server.restart();
    await expect(decodeAndStoreOffThread(archive(), target)).resolves.toMatchObject({ status: 'ok', stored: { n: 2, written: 0, unchanged: 2 } });
    expect(await threadClients()).toBe(1);

    await closeDecodeThreads();
    expect(await threadClients()).toBe(0);
  }, 60_000);
});
