// Decode-thread side of archive-decode-pool.ts: one archive per message, which the thread decodes
// and writes to the store target itself over its own Redis
// connection (one per target, kept, used by this thread alone: chunks not stored yet are written
// without Lua) and sends back only the counts, so the bulk bytes never reach the backfill's event
// loop or its heap.
import { parentPort, threadId } from 'node:worker_threads';
import Redis, { type RedisOptions } from 'ioredis';
import { KlineStore } from './kline-store';
import { decodeAndStore, type DecodeRequest } from './archive-decode';
import type { ParseScratch } from './archive-csv';
import type { StoreTarget } from './archive-decode-pool';

const stores = new Map<string, KlineStore>();
// One archive at a time per thread, written before the reply: its parse memory is reused.
const scratch: ParseScratch = {};

/** This thread's own connection; an outage is logged once when it starts and once when it ends. */
function connect(options: RedisOptions): Redis {
  const redis = new Redis(options);
  const where = options.path ?? `${options.host ?? 'localhost'}:${options.port ?? 6379}`;
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    console.warn(`archive decode thread ${threadId}: lost Redis at ${where} (${err.message.split('\n')[0]}); reconnecting`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    console.warn(`archive decode thread ${threadId}: Redis at ${where} is back`);
  });
  return redis;
}

function storeFor(t: StoreTarget): KlineStore {
  const key = JSON.stringify([t.connection, t.namespace]);
  let store = stores.get(key);
  if (!store) {
    store = new KlineStore(connect(t.connection), t.namespace);
    stores.set(key, store);
  }
  return store;
}

const port = parentPort!;
port.on('message', async (m: { req: DecodeRequest; store: StoreTarget } | { close: true }) => {
  if ('close' in m) {
    await closeConnections();
    port.postMessage({ closed: true });
    return;
  }
  const { req, store } = m;
  try {
    port.postMessage({ result: await decodeAndStore(req, storeFor(store), store.symbol, store.interval, scratch, true) });
  } catch (e) {
    // The name travels too: runtime/connections.ts redisFailure tells a Redis outage by it.
    const err = e as Error;
    port.postMessage({ error: { name: err.name, message: err.message, stack: err.stack } });
  }
});

/** Quits this thread's connections (at most a second's grace), before the pool terminates it. */
async function closeConnections(): Promise<void> {
  const all = [...stores.values()].map((s) => s.redis);
  stores.clear();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(all.map((r) => r.quit())), new Promise((r) => (timer = setTimeout(r, 1000)))]);
  clearTimeout(timer);
  for (const r of all) r.disconnect();
}
