import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis';
import { localContext } from '../../activities/context';
import { archiveDay, type ArchiveDayDeps } from '../../activities/trades/archive-day';
import { readArchivedDay, readManifest } from '../../activities/trades/archive-files';
import { InvalidInputError } from '../../activities/errors';
import { freshStream, LATER, makeTrade, tmpDataDir, utc, xaddRaw, xaddTrade } from './helpers';

const r = useRedis();
const ctx = () => localContext({ quiet: true });
const deps = (dataDir: string, over: Partial<ArchiveDayDeps> = {}): ArchiveDayDeps => ({ redis: r.client, dataDir, now: LATER, ...over });

describe('trades.archiveDay', () => {
  it('puts a trade exiting at 23:59:59.999 in that day and one at 00:00:00.000 in the next', async () => {
    const stream = 'trade.closed'; // the default stream: the canonical archive path
    const dataDir = tmpDataDir();
    const last = makeTrade({ id: 'last', exit_time_ms: utc('2023-04-10T23:59:59.999Z') });
    const first = makeTrade({ id: 'first', exit_time_ms: utc('2023-04-10T00:00:00.000Z'), entry_time_ms: utc('2023-04-09T22:00:00Z') });
    const next = makeTrade({ id: 'next', exit_time_ms: utc('2023-04-11T00:00:00.000Z') });
    for (const t of [last, next, first]) await xaddTrade(r.client, stream, t);

    const a = await archiveDay({ day: '2023-04-10' }, deps(dataDir), ctx());
    const b = await archiveDay({ day: '2023-04-11', stream }, deps(dataDir), ctx());
    expect(a).toMatchObject({ status: 'written', count: 2, malformed: 0, trimmed: 0 });
    expect(b).toMatchObject({ status: 'written', count: 1 });
    expect(readArchivedDay(dataDir, '2023-04-10', stream)).toEqual([first, last]); // sorted by exit time
    expect(readArchivedDay(dataDir, '2023-04-11', stream)).toEqual([next]);
    expect(a.file).toBe(`${dataDir}/trades/archive/2023/04/trades-2023-04-10.jsonl.gz`);
    expect(a.manifest).toBe(`${dataDir}/trades/archive/2023/04/trades-2023-04-10.manifest.json`);
    const line = gunzipSync(readFileSync(a.file!)).toString().split('\n')[0];
    expect(Object.keys(JSON.parse(line))).toEqual(['id', 'symbol', 'side', 'entry_time_ms', 'exit_time_ms', 'entry_price', 'exit_price', 'pnl_pct', 'source', 'simulated']);
  });

  it('is idempotent: a second archive gives the same bytes and reports unchanged', async () => {
    const stream = freshStream();
    const dataDir = tmpDataDir();
    for (let i = 0; i < 2500; i++) { // more than two XRANGE pages
      const exit = utc('2023-04-10T00:00:00Z') + i * 30_000;
      await xaddTrade(r.client, stream, makeTrade({ id: `p${i}`, entry_time_ms: exit - 60_000, exit_time_ms: exit }));
    }
    const first = await archiveDay({ day: '2023-04-10', stream }, deps(dataDir), ctx());
    expect(first.file).toBe(`${dataDir}/trades/archive/streams/${stream}/2023/04/trades-2023-04-10.jsonl.gz`); // not the default stream
    const bytes = readFileSync(first.file!);
    const manifest = readFileSync(first.manifest!);
    const second = await archiveDay({ day: '2023-04-10', stream }, deps(dataDir), ctx());
    expect(first).toMatchObject({ status: 'written', count: 2500 });
    expect(second).toMatchObject({ status: 'unchanged', count: 2500, sha256: first.sha256 });
    expect(readFileSync(second.file!).equals(bytes)).toBe(true);
    expect(readFileSync(second.manifest!).equals(manifest)).toBe(true);
    expect(bytes.readUInt32LE(4)).toBe(0); // gzip mtime
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(first.sha256);
    const m = readManifest(first.manifest!)!;
    expect(m).toMatchObject({ day: '2023-04-10', count: 2500, sha256: first.sha256, complete: true, malformed: [] });
    expect(m.firstStreamId).not.toBe(m.lastStreamId);
  });

  it('stays complete and correct when Redis restarts between the read and the write', async () => {
    const stream = freshStream();
    const dataDir = tmpDataDir();
    const trades = Array.from({ length: 50 }, (_, i) => makeTrade({ id: `r${i}`, exit_time_ms: utc('2023-04-12T01:00:00Z') + i * 60_000 }));
    for (const t of trades) await xaddTrade(r.client, stream, t);
    let restarts = 0;
    const restart = { afterRead: async () => { await r.server.restart(); restarts++; } };
    const out = await archiveDay({ day: '2023-04-12', stream }, deps(dataDir, restart), ctx());
    expect(out).toMatchObject({ status: 'written', count: 50, trimmed: 0 });
    expect(readArchivedDay(dataDir, '2023-04-12', stream)).toEqual(trades);
    expect(await r.client.xlen(stream)).toBe(50); // the stream survived the restart (AOF)

    // Again, trimming this time: the deletes go to the restarted server.
    const trimmed = await archiveDay({ day: '2023-04-12', stream, trim: true }, deps(dataDir, restart), ctx());
    expect(restarts).toBe(2);
    expect(trimmed).toMatchObject({ status: 'unchanged', count: 50, trimmed: 50, sha256: out.sha256 });
    expect(await r.client.xlen(stream)).toBe(0);
    // From the archive alone (the stream is empty now), a re-run changes nothing.
    const again = await archiveDay({ day: '2023-04-12', stream }, deps(dataDir), ctx());
    expect(again).toMatchObject({ status: 'unchanged', count: 50, sha256: out.sha256 });
    expect(readArchivedDay(dataDir, '2023-04-12', stream)).toEqual(trades);
  });

  it('defers a day that may still receive entries, unless forced', async () => {
    const stream = freshStream();
    const dataDir = tmpDataDir();
    const today = new Date().toISOString().slice(0, 10);
    const real = await archiveDay({ day: today, stream }, { redis: r.client, dataDir }, ctx());
    expect(real).toMatchObject({ status: 'deferred', file: null, count: 0 });
    expect(real.reason).toMatch(/not over/);

    await xaddTrade(r.client, stream, makeTrade({ id: 'late', exit_time_ms: utc('2023-04-10T23:58:00Z') }));
    const dayEnd = utc('2023-04-11T00:00:00Z');
    const inGrace = await archiveDay({ day: '2023-04-10', stream }, deps(dataDir, { now: () => dayEnd + 5 * 60_000 }), ctx());
    expect(inGrace).toMatchObject({ status: 'deferred', retryAfterMs: 5 * 60_000 });
    expect(inGrace.reason).toMatch(/grace/);

    const noGrace = await archiveDay({ day: '2023-04-10', stream, graceMinutes: 0 }, deps(tmpDataDir(), { now: () => dayEnd + 5 * 60_000 }), ctx());
    expect(noGrace).toMatchObject({ status: 'written', count: 1 });

    const forced = await archiveDay({ day: '2023-04-10', stream, force: true }, deps(dataDir, { now: () => dayEnd + 5 * 60_000 }), ctx());
    expect(forced).toMatchObject({ status: 'written', count: 1 });
    expect(readManifest(forced.manifest!)!.complete).toBe(false);
    await xaddTrade(r.client, stream, makeTrade({ id: 'later', exit_time_ms: utc('2023-04-10T23:59:00Z') }));
    const closed = await archiveDay({ day: '2023-04-10', stream }, deps(dataDir, { now: () => dayEnd + 10 * 60_000 }), ctx());
    expect(closed).toMatchObject({ status: 'written', count: 2 });
    expect(readManifest(closed.manifest!)!.complete).toBe(true);
  });

  it('counts malformed entries with stream id and reason and archives the good ones', async () => {
    const stream = freshStream();
    const dataDir = tmpDataDir();
    const good1 = makeTrade({ id: 'g1', exit_time_ms: utc('2023-04-13T01:00:00Z') });
    const base = Object.fromEntries(Object.entries(makeTrade({ id: 'b', exit_time_ms: utc('2023-04-13T02:00:00Z') })).map(([k, v]) => [k, String(v)]));
    await xaddTrade(r.client, stream, good1);
    const { pnl_pct: _omit, ...noPnl } = base;
    const missing = await xaddRaw(r.client, stream, { ...noPnl, id: 'b1' });
    const badNumber = await xaddRaw(r.client, stream, { ...base, id: 'b2', exit_price: '12,5' });
    const backwards = await xaddRaw(r.client, stream, { ...base, id: 'b3', entry_time_ms: String(utc('2023-04-13T03:00:00Z')) });
    const badExit = await xaddRaw(r.client, stream, { ...base, id: 'b4', exit_time_ms: 'soon' }); // attributed by insertion time: today
    const good2 = makeTrade({ id: 'g2', exit_time_ms: utc('2023-04-13T05:00:00Z') });
    await xaddTrade(r.client, stream, good2);
    const conflict = await xaddTrade(r.client, stream, { ...good2, pnl_pct: 9 });

    const out = await archiveDay({ day: '2023-04-13', stream, trim: true }, deps(dataDir), ctx());
    expect(out).toMatchObject({ status: 'written', count: 2, malformed: 4, trimmed: 2 });
    expect(readArchivedDay(dataDir, '2023-04-13', stream)).toEqual([good1, good2]);
    const m = readManifest(out.manifest!)!;
    expect(m.malformed).toEqual([
      { streamId: missing, reason: 'missing field pnl_pct' },
      { streamId: badNumber, reason: 'bad number in exit_price: "12,5"' },
      { streamId: backwards, reason: 'exit_time_ms < entry_time_ms' },
      { streamId: conflict, reason: expect.stringMatching(/g2 reused with different content/) },
    ]);
    expect(badExit).toBeTruthy();
    // Malformed entries stay in the stream for a human to look at.
    expect((await r.client.xrange(stream, '-', '+')).map(([id]) => id)).toEqual([missing, badNumber, backwards, badExit, conflict]);
  });

  it('trims only when asked and only after verifying the written archive', async () => {
    const stream = freshStream();
    const dataDir = tmpDataDir();
    const day = makeTrade({ id: 'd1', exit_time_ms: utc('2023-04-14T10:00:00Z') });
    const other = makeTrade({ id: 'o1', exit_time_ms: utc('2023-04-15T10:00:00Z') });
    await xaddTrade(r.client, stream, day);
    const otherId = await xaddTrade(r.client, stream, other);
    await xaddTrade(r.client, stream, day); // the same trade written twice

    const noTrim = await archiveDay({ day: '2023-04-14', stream }, deps(dataDir), ctx());
    expect(noTrim).toMatchObject({ count: 1, trimmed: 0 });
    expect(await r.client.xlen(stream)).toBe(3);

    const corrupt = archiveDay({ day: '2023-04-14', stream, trim: true }, deps(dataDir, {
      afterWrite: async ({ file }) => writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from([0])])),
    }), ctx());
    await expect(corrupt).rejects.toThrow(/sha256 .* != manifest .*not trimming/);
    expect(await r.client.xlen(stream)).toBe(3);

    const ok = await archiveDay({ day: '2023-04-14', stream, trim: true }, deps(dataDir), ctx());
    expect(ok).toMatchObject({ status: 'written', count: 1, trimmed: 2 }); // rewrote the corrupted file
    expect((await r.client.xrange(stream, '-', '+')).map(([id]) => id)).toEqual([otherId]);
    expect(await r.client.sismember(`${stream}:ids`, 'd1')).toBe(1);
    const after = await archiveDay({ day: '2023-04-14', stream }, deps(dataDir), ctx());
    expect(after).toMatchObject({ status: 'unchanged', count: 1, sha256: ok.sha256 });
  });

  it('stops, without overwriting, when the existing archive is unreadable', async () => {
    const stream = freshStream();
    const dataDir = tmpDataDir();
    await xaddTrade(r.client, stream, makeTrade({ id: 'c1', exit_time_ms: utc('2023-04-16T10:00:00Z') }));
    const out = await archiveDay({ day: '2023-04-16', stream }, deps(dataDir), ctx());
    writeFileSync(out.file!, 'not gzip');
    await expect(archiveDay({ day: '2023-04-16', stream }, deps(dataDir), ctx())).rejects.toMatchObject({ code: 'ArchiveCorrupt' });
    expect(readFileSync(out.file!, 'utf8')).toBe('not gzip');
  });

  it('rejects unusable input (not a UTC calendar day, a key that is not a stream) as InvalidInputError', async () => {
    for (const day of ['2023-02-30', '2023-4-1', '', undefined]) {
      await expect(archiveDay({ day: day as string }, deps(tmpDataDir()), ctx())).rejects.toBeInstanceOf(InvalidInputError);
    }
    await expect(archiveDay({ day: '2023-04-10', graceMinutes: -1 }, deps(tmpDataDir()), ctx())).rejects.toBeInstanceOf(InvalidInputError);
    await r.client.set('not-a-stream', 'x');
    await expect(archiveDay({ day: '2023-04-10', stream: 'not-a-stream' }, deps(tmpDataDir()), ctx())).rejects.toBeInstanceOf(InvalidInputError);
  });
});
