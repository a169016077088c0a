// A bounded run of a Redis-stream consumer group, shared by klines.fromTicks and klines.consume.
//
// Delivery: one consumer per group (a lock enforces it: bars need every tick of a minute in one
// place). A run first re-reads its own pending entries (delivered earlier, never acknowledged),
// then new ones. An entry is acknowledged only in the same MULTI/EXEC that writes what it
// produced (a bar, a dead letter) and saves the consumer's state, so after a crash at any point
// the next run resumes exactly after the last acknowledged work: nothing is counted twice, nothing
// is lost. The MULTI is guarded by WATCH on the lock, so a run that lost its lock (a stuck worker
// whose attempt Temporal gave up on) cannot commit.
//
// Bounded: a run stops after `runForMs`, after `idleMs` without new entries, or on cancellation;
// what is still in progress (ticks of open minutes) stays pending for the next run.
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';

export interface StreamEntry {
  id: string;
  /** null: the entry was deleted (trimmed) after it was delivered and before it was acknowledged. */
  fields: string[] | null;
}

/** When the entries of a read arrived: the last one's id time, or Redis's clock when the read reached the end of the stream. */
export interface ReadClock {
  /** Every entry that reached the stream before this time (Redis clock, ms) has been read. */
  arrivedBefore: number;
  caughtUp: boolean;
}

export interface DeadLetter {
  id: string;
  reason: string;
  fields: string[] | null;
}

export interface CommitWork {
  /** Ids to acknowledge. */
  ack: string[];
  deadLetters: DeadLetter[];
  /** Queues the writes on the commit's MULTI; returns how many commands it queued. */
  queue(multi: ChainableCommander): number;
  /** After EXEC: the replies of those commands, in order. */
  committed(replies: unknown[]): void;
}

export interface StreamHandler {
  /** State saved by the last commit (null-prototype; empty on a group's first run). */
  restore(state: Record<string, string>): void;
  onEntries(entries: StreamEntry[], clock: ReadClock): void;
  /** What is ready to commit, or undefined when nothing is. */
  takeCommit(): CommitWork | undefined;
  /** Fields of the state hash to save with each commit. */
  state(): Record<string, string>;
}

export interface ConsumerOptions {
  stream: string;
  group: string;
  /** Entries per read (default 1000). */
  batch?: number;
  /** How long a read waits for new entries (default 1000 ms; also how soon a cancellation is seen). */
  blockMs?: number;
  runForMs: number;
  /** Stop after this long without a new entry (undefined: run for runForMs). */
  idleMs?: number;
  /** Dead letters kept (approximate MAXLEN of the dead-letter stream; default 1,000,000). */
  deadLetterMaxLen?: number;
  lockTtlMs?: number;
}

export interface ConsumerRun {
  entries: number;
  deleted: number;
  commits: number;
  deadLetters: number;
  stoppedBecause: 'runFor' | 'idle' | 'cancelled';
  /** Last entry delivered to this group, and entries still pending (in progress) at the end. */
  lastDeliveredId: string;
  pending: number;
  /** Entries the stream deleted (MAXLEN/XTRIM) that this group never read: data lost before us. */
  lostToTrim: boolean;
  durationMs: number;
}

export const CONSUMER_NAME = 'trainflow';

export const keysOf = (stream: string, group: string) => ({
  lock: `${stream}:group:${group}:lock`,
  state: `${stream}:group:${group}:state`,
  deadLetters: `${stream}.deadletter`,
});

export class LockLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsumerLockLost';
  }
}

const idTime = (id: string) => Number(id.slice(0, id.indexOf('-')));

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

/** Creates the group (and the stream) if missing; true if it was created now. */
async function ensureGroup(conn: Redis, stream: string, group: string): Promise<boolean> {
  try {
    await conn.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    return true;
  } catch (e) {
    const msg = (e as Error).message;
    if (/BUSYGROUP/.test(msg)) return false;
    if (/WRONGTYPE/.test(msg)) throw new InvalidInputError(`Redis key ${stream} is not a stream`);
    throw e;
  }
}

function streamInfo(info: unknown[]) {
  const get = (k: string) => info[info.indexOf(k) + 1];
  return {
    length: Number(get('length')),
    entriesAdded: Number(get('entries-added')),
    maxDeleted: String(get('max-deleted-entry-id') ?? '0-0'),
  };
}

// The consumer's own count of what the stream gave it, kept in its state hash beside the
// handler's fields: whether the stream deleted entries the group never read (MAXLEN/XTRIM) is
// entriesAdded − addedBefore − delivered > the entries still waiting.
const ADDED_BEFORE = 'consumer.addedBefore';
const DELIVERED = 'consumer.delivered';
const DELIVERED_THROUGH = 'consumer.deliveredThrough';

interface Delivery {
  addedBefore?: number;
  delivered: number;
  through: string;
}

function countDelivered(d: Delivery, entries: StreamEntry[]): void {
  for (const e of entries) {
    if (compareIds(e.id, d.through) > 0) {
      d.delivered++;
      d.through = e.id;
    }
  }
}

async function lostToTrim(conn: Redis, stream: string, d: Delivery): Promise<boolean> {
  // One snapshot: the counters and the entries still waiting after the last one delivered.
  const res = (await conn.multi().xinfo('STREAM', stream).xrange(stream, `(${d.through}`, '+', 'COUNT', WAITING_LIMIT + 1).exec())!;
  const info = streamInfo(res[0][1] as unknown[]);
  const waiting = (res[1][1] as unknown[]).length;
  if (compareIds(info.maxDeleted, d.through) > 0) return true; // XDEL of an entry not read yet
  if (d.addedBefore === undefined || waiting > WAITING_LIMIT) return false; // cannot tell cheaply
  return info.entriesAdded - d.addedBefore - d.delivered > waiting;
}

const WAITING_LIMIT = 10_000;

const LOCK_REFRESH = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const LOCK_RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Runs a consumer until a stop condition. `makeHandler` gets the run's own connection (commits go
 * through it, so Lua commands the handler queues must be defined on it).
 */
export async function runStreamConsumer<H extends StreamHandler>(
  redis: Redis,
  opts: ConsumerOptions,
  makeHandler: (conn: Redis) => H,
  ctx: ActivityContext,
  heartbeat: (run: { lastDeliveredId: string }) => void,
): Promise<{ run: ConsumerRun; handler: H }> {
  const started = Date.now();
  const batch = opts.batch ?? 1000;
  const blockMs = opts.blockMs ?? 1000;
  const lockTtl = opts.lockTtlMs ?? Math.max(10_000, blockMs * 5);
  const keys = keysOf(opts.stream, opts.group);
  // Blocking reads get a connection of their own: the worker's shared one serves other activities.
  const conn = redis.duplicate();
  const handler = makeHandler(conn);
  const token = randomUUID();
  const run: ConsumerRun = {
    entries: 0, deleted: 0, commits: 0, deadLetters: 0, stoppedBecause: 'runFor', lastDeliveredId: '0-0', pending: 0, lostToTrim: false, durationMs: 0,
  };
  try {
    const created = await ensureGroup(conn, opts.stream, opts.group);
    if (created) {
      const info = streamInfo((await conn.xinfo('STREAM', opts.stream)) as unknown[]);
      await conn.hset(keys.state, ADDED_BEFORE, info.entriesAdded - info.length, DELIVERED, 0, DELIVERED_THROUGH, '0-0');
    }
    const got = await conn.set(keys.lock, token, 'PX', lockTtl, 'NX');
    if (got !== 'OK') {
      const ttl = await conn.pttl(keys.lock);
      // Retryable: the holder is a previous attempt still running, or a dead one whose lock expires.
      throw new LockLostError(`another consumer of group '${opts.group}' on ${opts.stream} is running (its lock expires in ${ttl} ms); one consumer per group builds bars`);
    }
    const state = (await conn.hgetall(keys.state)) as Record<string, string>;
    const delivery: Delivery = {
      addedBefore: state[ADDED_BEFORE] === undefined ? undefined : Number(state[ADDED_BEFORE]),
      delivered: Number(state[DELIVERED] ?? 0),
      through: state[DELIVERED_THROUGH] ?? '0-0',
    };
    handler.restore(Object.assign(Object.create(null), state));

    let readFrom = '0'; // our pending entries first, then '>' (new ones)
    let lastNewAt = Date.now();
    for (;;) {
      if (ctx.signal.aborted) {
        run.stoppedBecause = 'cancelled';
        break;
      }
      if (Date.now() - started >= opts.runForMs) break;
      if (opts.idleMs !== undefined && readFrom === '>' && Date.now() - lastNewAt >= opts.idleMs) {
        run.stoppedBecause = 'idle';
        break;
      }
      if ((await conn.eval(LOCK_REFRESH, 1, keys.lock, token, lockTtl)) !== 1) throw new LockLostError(`lost the consumer lock of group '${opts.group}' on ${opts.stream}`);

      let entries: StreamEntry[];
      let clock: ReadClock;
      if (readFrom !== '>') {
        const res = (await conn.xreadgroup('GROUP', opts.group, CONSUMER_NAME, 'COUNT', batch, 'STREAMS', opts.stream, readFrom)) as [string, [string, string[] | null][]][] | null;
        entries = (res?.[0]?.[1] ?? []).map(([id, fields]) => ({ id, fields }));
        if (entries.length === 0) {
          readFrom = '>';
          continue;
        }
        readFrom = entries[entries.length - 1].id;
        clock = { arrivedBefore: idTime(readFrom), caughtUp: false };
      } else {
        // Redis's clock before the read: everything that arrived before it is in this read or an earlier one.
        const [s, us] = await conn.time();
        const before = Number(s) * 1000 + Math.floor(Number(us) / 1000);
        const wait = Math.max(1, Math.min(blockMs, opts.runForMs - (Date.now() - started)));
        const res = (await conn.xreadgroup('GROUP', opts.group, CONSUMER_NAME, 'COUNT', batch, 'BLOCK', wait, 'STREAMS', opts.stream, '>')) as [string, [string, string[]][]][] | null;
        entries = (res?.[0]?.[1] ?? []).map(([id, fields]) => ({ id, fields }));
        const caughtUp = entries.length < batch;
        clock = { arrivedBefore: caughtUp ? Math.max(before, entries.length ? idTime(entries[entries.length - 1].id) : 0) : idTime(entries[entries.length - 1].id), caughtUp };
        if (entries.length) lastNewAt = Date.now();
      }
      if (entries.length) run.lastDeliveredId = entries[entries.length - 1].id;
      run.entries += entries.length;
      run.deleted += entries.filter((e) => e.fields === null).length;
      countDelivered(delivery, entries);
      handler.onEntries(entries, clock);
      await commit(conn, keys, token, opts, handler, run, delivery);
      heartbeat({ lastDeliveredId: run.lastDeliveredId });
    }
    await commit(conn, keys, token, opts, handler, run, delivery);
    run.lostToTrim = await lostToTrim(conn, opts.stream, delivery);
    if (run.lostToTrim) ctx.log(`stream ${opts.stream} deleted entries group ${opts.group} never read (MAXLEN/XTRIM): bars of those minutes are incomplete`);
    const summary = (await conn.xpending(opts.stream, opts.group)) as [number, ...unknown[]];
    run.pending = Number(summary[0]);
    await conn.eval(LOCK_RELEASE, 1, keys.lock, token);
  } catch (e) {
    // Let the next attempt start at once instead of waiting for the lock to expire.
    await conn.eval(LOCK_RELEASE, 1, keys.lock, token).catch(() => undefined);
    throw e;
  } finally {
    conn.disconnect();
  }
  run.durationMs = Date.now() - started;
  return { run, handler };
}

async function commit(
  conn: Redis, keys: ReturnType<typeof keysOf>, token: string, opts: ConsumerOptions, handler: StreamHandler, run: ConsumerRun, delivery: Delivery,
): Promise<void> {
  const work = handler.takeCommit();
  if (!work) return;
  await conn.watch(keys.lock);
  if ((await conn.get(keys.lock)) !== token) {
    await conn.unwatch();
    throw new LockLostError(`lost the consumer lock of group '${opts.group}' on ${opts.stream} before a commit`);
  }
  const multi = conn.multi();
  const queued = work.queue(multi);
  for (const d of work.deadLetters) {
    const original = d.fields ?? [];
    multi.xadd(keys.deadLetters, 'MAXLEN', '~', opts.deadLetterMaxLen ?? 1_000_000, '*', 'sourceId', d.id, 'reason', d.reason, 'group', opts.group, ...original);
  }
  for (let i = 0; i < work.ack.length; i += 5000) multi.xack(opts.stream, opts.group, ...work.ack.slice(i, i + 5000));
  multi.hset(keys.state, { ...handler.state(), [DELIVERED]: delivery.delivered, [DELIVERED_THROUGH]: delivery.through });
  const res = await multi.exec();
  if (res === null) throw new LockLostError(`lost the consumer lock of group '${opts.group}' on ${opts.stream} during a commit; nothing of it was written`);
  const failed = res.find(([err]) => err);
  if (failed) throw failed[0];
  work.committed(res.slice(0, queued).map(([, r]) => r));
  run.commits++;
  run.deadLetters += work.deadLetters.length;
}
