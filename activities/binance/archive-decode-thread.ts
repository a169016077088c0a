// Decode-thread side of archive-decode-pool.ts: one archive per message, which the thread decodes
// and writes to the store target itself over its own Redis
// connection (one per target, kept, used by this thread alone: chunks not stored yet are written
// without Lua) and sends back only the counts, so the bulk bytes never reach the backfill's event
// loop or its heap.
import { parentPort } from 'node:worker_threads';
import Redis from 'ioredis';
import { KlineStore } from './kline-store';
import { decodeAndStore, type DecodeRequest } from './archive-decode';
import type { ParseScratch } from './archive-csv';
import type { StoreTarget } from './archive-decode-pool';

const stores = new Map<string, KlineStore>();
// One archive at a time per thread, written before the reply: its parse memory is reused.
const scratch: ParseScratch = {};

function storeFor(t: StoreTarget): KlineStore {
  const key = JSON.stringify([t.connection, t.namespace]);
  let store = stores.get(key);
  if (!store) {
    store = new KlineStore(new Redis(t.connection), t.namespace);
    stores.set(key, store);
  }
  return store;
}

const port = parentPort!;
port.on('message', async ({ req, store }: { req: DecodeRequest; store: StoreTarget }) => {
  try {
    port.postMessage({ result: await decodeAndStore(req, storeFor(store), store.symbol, store.interval, scratch, true) });
  } catch (e) {
    port.postMessage({ error: { message: (e as Error).message, stack: (e as Error).stack } });
  }
});
