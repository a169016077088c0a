import { describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis';
import { localContext } from '../../activities/context';
import { archiveDay } from '../../activities/trades/archive-day';
import { readTrades } from '../../activities/trades/reader';
import { freshStream, LATER, makeTrade, tmpDataDir, utc, xaddTrade } from './helpers';

const r = useRedis();

describe('readTrades', () => {
  it('reads archives and the live stream together, one trade per id, sorted by exit time', async () => {
    const stream = freshStream();
    const dataDir = tmpDataDir();
    const trimmed = makeTrade({ id: 'a', exit_time_ms: utc('2023-04-20T10:00:00Z') });
    const both = makeTrade({ id: 'b', exit_time_ms: utc('2023-04-20T09:00:00Z') });
    const onlyStream = makeTrade({ id: 'c', exit_time_ms: utc('2023-04-21T08:00:00Z') });
    const outside = makeTrade({ id: 'd', exit_time_ms: utc('2023-04-22T00:00:00Z') });
    await xaddTrade(r.client, stream, trimmed);
    await archiveDay({ day: '2023-04-20', stream, trim: true }, { redis: r.client, dataDir, now: LATER }, localContext({ quiet: true }));
    await xaddTrade(r.client, stream, both);
    await archiveDay({ day: '2023-04-20', stream }, { redis: r.client, dataDir, now: LATER }, localContext({ quiet: true }));
    for (const t of [onlyStream, outside]) await xaddTrade(r.client, stream, t);
    await r.client.xadd(stream, '*', 'id', 'broken', 'symbol', 'BTCUSDT');
    expect(await r.client.xlen(stream)).toBe(4); // `both` is in the stream and in the archive

    const got = await readTrades({ redis: r.client, dataDir, stream, fromMs: utc('2023-04-20T00:00:00Z'), toMs: utc('2023-04-22T00:00:00Z') });
    expect(got).toEqual([both, trimmed, onlyStream]);
    const narrow = await readTrades({ redis: r.client, dataDir, stream, fromMs: utc('2023-04-20T09:30:00Z'), toMs: utc('2023-04-21T08:00:00Z') });
    expect(narrow.map((t) => t.id)).toEqual(['a']);
  });
});
