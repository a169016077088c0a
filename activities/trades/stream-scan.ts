// Pages through a whole Redis stream with XRANGE (COUNT per page), oldest first.
// The stream is keyed by insertion time, not by a trade's exit time (imports and late writers
// insert old trades at any time), so a complete answer for any exit-time range means reading the
// whole stream: O(stream length) per call. Archiving with `trim: true` keeps the stream short.
import type Redis from 'ioredis';
import { InvalidInputError } from '../errors';

export interface StreamEntry {
  id: string;
  fields: string[];
}

export const PAGE_SIZE = 1000;

export async function* scanStream(redis: Redis, stream: string, opts: { pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<StreamEntry[]> {
  const count = opts.pageSize ?? PAGE_SIZE;
  let start = '-';
  for (;;) {
    if (opts.signal?.aborted) throw new Error('cancelled');
    const page = (await redis.xrange(stream, start, '+', 'COUNT', count).catch((e: Error) => {
      throw /WRONGTYPE/.test(e.message) ? new InvalidInputError(`Redis key ${stream} is not a stream`) : e;
    })) as Array<[string, string[]]>;
    if (page.length === 0) return;
    yield page.map(([id, fields]) => ({ id, fields }));
    if (page.length < count) return;
    start = `(${page[page.length - 1][0]}`; // exclusive start (Redis >= 6.2)
  }
}

export async function readWholeStream(redis: Redis, stream: string, opts: { pageSize?: number; signal?: AbortSignal } = {}): Promise<StreamEntry[]> {
  const all: StreamEntry[] = [];
  for await (const page of scanStream(redis, stream, opts)) all.push(...page);
  return all;
}
