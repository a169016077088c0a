// Decodes kline archives (checksum, unzip, CSV parse: most of an archive backfill's CPU) on a few
// worker threads, and writes the bars to Redis from there too: the backfill's event loop then only
// downloads zips and keeps the heartbeat, its heap never holds the bulk data (less GC on the
// busiest isolate), and the machine's cores decode in parallel. Threads start on first use (each
// pays the tsx transform once), are shared by every backfill of the process, and never keep it
// alive while idle.
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../lib/ts-worker';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { DecodeRequest, StoreResult } from './archive-decode';

/** Decode threads: one per core, at most 4. */
const DECODE_THREADS = Math.max(1, Math.min(4, os.availableParallelism()));

/** Where a decode thread writes: a Redis connection it can open itself and the store's namespace. */
export interface StoreTarget {
  connection: RedisOptions;
  namespace: string;
  symbol: string;
  interval: string;
}

/**
 * Connection settings a thread can reopen for this client (plain data only), or undefined when
 * it cannot (a cluster, a custom connector, functions in the TLS options): then write inline.
 */
export function threadConnection(redis: Redis): RedisOptions | undefined {
  const o = (redis as { options?: RedisOptions }).options;
  if (!o || (redis as { isCluster?: boolean }).isCluster || o.Connector || o.sentinels) return undefined;
  const c: RedisOptions = { host: o.host, port: o.port, db: o.db ?? 0, maxRetriesPerRequest: o.maxRetriesPerRequest };
  for (const k of ['path', 'username', 'password', 'keyPrefix', 'family', 'connectionName'] as const) if (o[k] !== undefined) (c as Record<string, unknown>)[k] = o[k];
  if (o.tls) {
    if (Object.values(o.tls).some((v) => typeof v === 'function')) return undefined;
    c.tls = o.tls;
  }
  return c;
}

interface Task {
  req: DecodeRequest;
  store: StoreTarget;
  resolve(r: StoreResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  task?: Task;
  dead?: boolean;
}

const slots: Slot[] = [];
const queue: Task[] = [];

function startSlot(): Slot {
  const slot: Slot = { worker: startTsWorker(path.join(__dirname, 'archive-decode-thread.ts')) };
  slot.worker.unref();
  slot.worker.on('message', (m: { result?: StoreResult; error?: { name: string; message: string; stack?: string }; closed?: true }) => {
    if (m.closed) return;
    const t = slot.task;
    slot.task = undefined;
    slot.worker.unref();
    if (m.error) {
      const e = new Error(`archive decode thread: ${m.error.message}`);
      e.name = m.error.name; // e.g. MaxRetriesPerRequestError, which redisFailure looks for
      e.stack = m.error.stack;
      t?.reject(e);
    } else t?.resolve(m.result!);
    pump();
  });
  const gone = (err: Error) => {
    if (slot.dead) return;
    slot.dead = true;
    slots.splice(slots.indexOf(slot), 1);
    slot.task?.reject(err);
    slot.task = undefined;
    pump();
  };
  slot.worker.once('error', gone);
  slot.worker.once('exit', (code) => gone(new Error(`archive decode thread exited (code ${code})`)));
  slots.push(slot);
  return slot;
}

function pump(): void {
  while (queue.length > 0) {
    const slot = slots.find((s) => !s.task) ?? (slots.length < DECODE_THREADS ? startSlot() : undefined);
    if (!slot) return;
    const task = queue.shift()!;
    slot.task = task;
    slot.worker.ref(); // a pending decode keeps the process alive, an idle thread does not
    // The zip moves to the thread without a copy when it owns its memory outright.
    const zip = task.req.zip;
    const own = zip.byteOffset === 0 && zip.byteLength === zip.buffer.byteLength && !(zip.buffer instanceof SharedArrayBuffer);
    slot.worker.postMessage({ req: task.req, store: task.store }, own ? [zip.buffer as ArrayBuffer] : []);
  }
}

/** decodeAndStore on a decode thread, which writes to `store` over its own connection. */
export function decodeAndStoreOffThread(req: DecodeRequest, store: StoreTarget): Promise<StoreResult> {
  return new Promise((resolve, reject) => {
    queue.push({ req, store, resolve, reject });
    pump();
  });
}

/**
 * Stops the decode threads (tests and benchmarks that want a clean exit); they restart on use.
 * Each quits its Redis connections first (waited for at most 2 s), then is terminated.
 */
export async function closeDecodeThreads(): Promise<void> {
  const all = slots.splice(0);
  for (const s of all) s.dead = true;
  await Promise.all(
    all.map(async (s) => {
      let timer: NodeJS.Timeout | undefined;
      const closed = new Promise<void>((resolve) => {
        s.worker.on('message', (m: { closed?: true }) => m.closed && resolve());
        s.worker.once('exit', () => resolve());
        timer = setTimeout(resolve, 2000);
      });
      s.worker.ref();
      s.worker.postMessage({ close: true });
      await closed;
      clearTimeout(timer);
      await s.worker.terminate();
    }),
  );
}
