// Bulk kline archives (data.binance.vision layout) from the local server, and the backfill that
// uses them: real zips, real sha256 checksums, real Redis, the real shipped klines.
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis';
import { localContext } from '../../activities/context';
import { KlineStore } from '../../activities/binance/kline-store';
import Redis from 'ioredis';
import { backfillKlines, type BackfillHeartbeat } from '../../activities/binance/backfill';
import { createArchiveClient } from '../../activities/binance/archive-client';
import { threadConnection } from '../../activities/binance/archive-decode-pool';
import { ArchiveDataError, parseArchiveCsv } from '../../activities/binance/archive-csv';
import { planArchives } from '../../activities/binance/archive-plan';
import { ZipError, readZip } from '../../activities/binance/zip-reader';
import { writeZip } from '../../stack/binance-server/zip-writer';
import { csvRange, t, useBinanceServer } from './support';

const redis = useRedis();
const ctx = useBinanceServer();
const M = 60_000;
const deps = (extra: object = {}) => ({ redis: redis.client, config: { binanceBaseUrl: ctx.server.url }, ...extra });
const quiet = (opts: Parameters<typeof localContext>[0] = {}) => localContext({ quiet: true, ...opts });
const get = async (path: string) => {
  const res = await fetch(ctx.server.url + path);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
};
const stored = (symbol: string, from: string, to: string) => new KlineStore(redis.client).range(symbol, '1m', t(from), t(to));

describe('zip reader', () => {
  it('reads what the server’s zip writer writes, and refuses damaged archives', () => {
    const a = Buffer.from('1,2,3\n'.repeat(1000));
    const zip = writeZip([{ name: 'a.csv', data: a }, { name: 'b.txt', data: Buffer.from('hello') }]);
    expect(readZip(zip).map((e) => [e.name, e.data.toString()])).toEqual([['a.csv', a.toString()], ['b.txt', 'hello']]);
    const damaged = Buffer.from(zip);
    damaged[40] ^= 0xff; // inside a.csv's deflated data
    expect(() => readZip(damaged, 'x.zip')).toThrow(ZipError);
    expect(() => readZip(Buffer.from('not a zip at all, not even close'), 'y.zip')).toThrow(/y\.zip: not a zip archive/);
  });

  it('stops inflating at the size the header gives: a lying header cannot make it balloon', () => {
    const zip = writeZip([{ name: 'bomb.csv', data: Buffer.alloc(64 << 20) }]); // 64 MiB of zeros, ~64 KiB deflated
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const lying = Buffer.from(zip);
    lying.writeUInt32LE(100, central + 24);
    expect(() => readZip(lying, 'z.zip')).toThrow(/z\.zip: bomb\.csv inflates to more than the 100 bytes its header says/);
    const huge = Buffer.from(zip);
    huge.writeUInt32LE(0xfffffff0, central + 24);
    expect(() => readZip(huge, 'z.zip')).toThrow(/bomb\.csv says it holds 4294967280 bytes, over the 1073741824 bytes an entry may have/);
  });
});

describe('archive CSV', () => {
  const row = (open: number, unit = 1) => `${open * unit},100.5,101,99.5,100.25,12.5,${(open + M - 1) * unit + (unit - 1)},1253.1,42,6.25,626.55,0`;
  it('reads headerless rows, microsecond times (2025 on) as milliseconds, and skips a header row if there is one', () => {
    const open = t('2025-06-02T00:00:00Z');
    const us = parseArchiveCsv(Buffer.from(`${row(open, 1000)}\n${row(open + M, 1000)}\n`), M, 0, Infinity, 'f.csv');
    expect(us.microseconds).toBe(true);
    expect([...us.openTimes]).toEqual([open, open + M]);
    expect([...us.records.subarray(0, 10)]).toEqual([100.5, 101, 99.5, 100.25, 12.5, 1253.1, 42, 6.25, 626.55, open + M - 1]);
    const ms = parseArchiveCsv(Buffer.from(`open_time,open,high,low,close,volume,close_time,quote_volume,count,tbb,tbq,ignore\r\n${row(t('2023-04-01T00:00:00Z'))}\r\n`), M, 0, Infinity, 'g.csv');
    expect(ms.microseconds).toBe(false);
    expect(ms.n).toBe(1);
  });
  it('reads every decimal exactly as Number() does: long fractions, 16–17 digits, mantissas past 2^53', () => {
    const open = t('2023-04-01T00:00:00Z');
    const fixed = ['0.00000001', '12345678.12345678', '98765432.123456789', '9007199254740991', '9007199254740993', '9007199254740992.5', '0.1', '5.', '00012.500', '123456789012345678901234.5'];
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const random = Array.from({ length: 3000 }, () => {
      const digits = Array.from({ length: 1 + Math.floor(rnd() * 22) }, () => String(Math.floor(rnd() * 10))).join('');
      const dot = Math.floor(rnd() * (digits.length + 1));
      return dot === digits.length ? digits : `${digits.slice(0, dot)}.${digits.slice(dot)}`;
    });
    // Binance's own format: 8-digit fractions (toFixed(8)) of every magnitude it sends.
    const binance = Array.from({ length: 1000 }, () => (rnd() * 10 ** Math.floor(rnd() * 12)).toFixed(8));
    const values = [...fixed, ...random, ...binance];
    const rows: string[] = [];
    for (let i = 0; i < values.length; i += 4) {
      const [a, b = '1', c = '2', d = '3'] = values.slice(i, i + 4);
      const o = open + (i / 4) * M;
      rows.push(`${o},100.5,101,99.5,100.25,${a},${o + M - 1},${b},42,${c},${d},0`);
    }
    const bars = parseArchiveCsv(Buffer.from(rows.join('\n')), M, 0, Infinity, 'n.csv');
    expect(bars.n).toBe(rows.length);
    const got: number[] = [];
    for (let r = 0; r < bars.n; r++) for (const k of [4, 5, 7, 8]) got.push(bars.records[r * 10 + k]);
    expect(got.slice(0, values.length)).toEqual(values.map(Number));
  });
  it('refuses bad rows with file:line and what is wrong', () => {
    const open = t('2023-04-01T00:00:00Z');
    const bad = (text: string) => () => parseArchiveCsv(Buffer.from(text), M, 0, Infinity, 'f.csv');
    expect(bad(`${row(open)}\n${row(open + 30_000)}\n`)).toThrow(/f\.csv:2: open time .* not on the 60000 ms grid/);
    expect(bad(`${row(open)}\n${row(open)}\n`)).toThrow(/f\.csv:2: open time .* does not increase/);
    expect(bad(`${row(open).replace('101,', '-101,')}\n`)).toThrow(ArchiveDataError);
    expect(bad(`${row(open)},7\n`)).toThrow(/more than 12 fields/);
    expect(bad(`${row(open).split(',').slice(0, 9).join(',')}\n`)).toThrow(/fewer than 12 fields/);
    // A row one interval after the previous one skips the grid checks: every other check still applies to it.
    const us = t('2025-06-02T00:00:00Z');
    const second = (r: string) => `${row(open)}\n${r}\n`;
    const secondUs = (r: string) => `${row(us, 1000)}\n${r}\n`;
    expect(bad(second(row(open + M).replace(`,${open + 2 * M - 1},`, `,${open + 2 * M},`)))).toThrow(/f\.csv:2: close time/);
    expect(bad(secondUs(row(us + M, 1000).replace(`,${(us + 2 * M - 1) * 1000 + 999},`, `,${(us + 2 * M) * 1000},`)))).toThrow(/f\.csv:2: close time/);
    expect(bad(secondUs(row(us + M, 1000).replace(`,${(us + 2 * M - 1) * 1000 + 999},`, `,${(us + 2 * M - 1) * 1000 - 1},`)))).toThrow(/f\.csv:2: close time/);
    expect(bad(second(row(open + M).replace(',101,', ',99,')))).toThrow(/f\.csv:2: high\/low inconsistent/);
    expect(bad(second(row(open + M).replace(',99.5,', ',100.3,')))).toThrow(/f\.csv:2: high\/low inconsistent/);
    expect(bad(second(row(open + M).replace(',42,', ',42.5,')))).toThrow(/f\.csv:2: trades 42.5 is not an integer/);
    expect(bad(secondUs(row(us + M, 1000).replace(`${(us + M) * 1000},`, `${(us + M) * 1000 + 1},`)))).toThrow(/f\.csv:2: open time .* not a whole millisecond/);
    const ok = parseArchiveCsv(Buffer.from(secondUs(row(us + M, 1000).replace(`,${(us + 2 * M - 1) * 1000 + 999},`, `,${(us + 2 * M - 1) * 1000},`))), M, 0, Infinity, 'f.csv');
    expect([...ok.openTimes]).toEqual([us, us + M]);
    // Digits are read four at a time: a byte next to '0'..'9' (or one with only the low nibble of a
    // digit) anywhere in such a group is not a digit.
    for (const ch of ['/', ':', '?', ' ', '\x00', '\xb5', '\xf9', '\x3a']) {
      for (let at = 0; at < 17; at++) {
        if (at === 8) continue; // the dot
        const field = `12345678.87654321`.split('');
        field[at] = ch;
        const text = `${row(open).replace(',12.5,', `,${field.join('')},`)}\n`;
        expect(() => parseArchiveCsv(Buffer.from(text, 'latin1'), M, 0, Infinity, 'f.csv'), `${JSON.stringify(ch)} at ${at}`).toThrow(ArchiveDataError);
      }
    }
  });
});

describe('archive plan', () => {
  it('monthly for whole past months, daily for other past days, REST from today on', () => {
    const now = t('2023-05-10T12:00:00Z');
    const { units, rest } = planArchives([[t('2023-03-15T06:00:00Z'), t('2023-05-10T11:59:00Z')]], M, now);
    expect(units.filter((u) => u.kind === 'monthly').map((u) => u.period)).toEqual(['2023-04']);
    const days = units.filter((u) => u.kind === 'daily').map((u) => u.period);
    expect(days).toHaveLength(17 + 9);
    expect(days[0]).toBe('2023-03-15');
    expect(days.at(-1)).toBe('2023-05-09');
    expect(units[0].need).toEqual([[t('2023-03-15T06:00:00Z'), t('2023-03-15T23:59:00Z')]]);
    expect(rest).toEqual([[t('2023-05-10T00:00:00Z'), t('2023-05-10T11:59:00Z')]]);
  });
});

describe('local server: data.binance.vision layout', () => {
  it('serves a monthly zip of headerless 12-field rows with its sha256 in .CHECKSUM', async () => {
    const path = '/data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2023-04.zip';
    const zip = await get(path);
    const sum = await get(`${path}.CHECKSUM`);
    expect(zip.status).toBe(200);
    expect(sum.body.toString()).toBe(`${createHash('sha256').update(zip.body).digest('hex')}  BTCUSDT-1m-2023-04.zip\n`);
    const [entry] = readZip(zip.body);
    expect(entry.name).toBe('BTCUSDT-1m-2023-04.csv');
    const lines = entry.data.toString().trimEnd().split('\n');
    expect(lines).toHaveLength(43_200);
    expect(lines[0].split(',')).toHaveLength(12);
    expect(lines[0]).toMatch(/^1680307200000,/);
  });
  it('writes times in microseconds from 2025-01-01 on', async () => {
    const [entry] = readZip((await get('/data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2025-06-15.zip')).body);
    const f = entry.data.toString().split('\n')[0].split(',');
    expect(f[0]).toBe(String(t('2025-06-15T00:00:00Z') * 1000));
    expect(f[6]).toBe(String((t('2025-06-15T00:00:00Z') + M) * 1000 - 1));
  });
  it('404s for a period with no bars, one not over yet, and a name that does not match its folder', async () => {
    expect((await get('/data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2022-04.zip')).status).toBe(404);
    const nextMonth = new Date(Date.now() + 31 * 86_400_000).toISOString().slice(0, 7);
    expect((await get(`/data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-${nextMonth}.zip`)).status).toBe(404);
    expect((await get('/data/spot/daily/klines/BTCUSDT/1m/ETHUSDT-1m-2023-04-05.zip')).status).toBe(404);
  });
});

describe('binance.backfillKlines through archives', () => {
  beforeEach(async () => {
    await redis.client.flushall();
    ctx.server.resetStats();
    ctx.server.setOptions({ archiveFaults: {}, latencyMs: 0 });
  });

  it('takes a whole past month from its monthly archive, with no REST request; a re-run fetches nothing', async () => {
    const input = { symbol: 'BTCUSDT', interval: '1m', from: '2023-04-01', to: '2023-04-30T23:59:00Z' };
    const r = await backfillKlines(input, quiet(), deps());
    expect(r).toMatchObject({ archives: 1, archiveFallbacks: 0, pages: 0, fetched: 43_200, written: 43_200, gapBars: 0, complete: true });
    expect(ctx.server.stats.klinesRequests).toBe(0);
    expect(ctx.server.stats.archiveFiles).toBe(1);
    expect(await stored('BTCUSDT', input.from, input.to)).toEqual(csvRange('BTCUSDT', t(input.from), t(input.to)));
    const again = await backfillKlines(input, quiet(), deps());
    expect(again).toMatchObject({ archives: 0, pages: 0, fetched: 0, skipped: 43_200, complete: true });
    expect(ctx.server.stats.archiveFiles).toBe(1);
  });

  it('records the same gaps as REST alone: the 2023-03-24 halt, checked over REST', async () => {
    const input = { symbol: 'ETHUSDT', interval: '1m', from: '2023-03-23', to: '2023-03-25T23:59:00Z' };
    const viaArchives = await backfillKlines(input, quiet(), deps());
    const storedViaArchives = await stored('ETHUSDT', input.from, input.to);
    await redis.client.flushall();
    const viaRest = await backfillKlines({ ...input, archives: false }, quiet(), deps());
    expect(viaArchives.archives).toBe(3);
    expect(viaArchives.gaps).toEqual(viaRest.gaps);
    expect(viaArchives.gaps).toEqual([{ from: '2023-03-24T12:40:00.000Z', to: '2023-03-24T13:59:00.000Z', bars: 80 }]);
    expect(viaArchives).toMatchObject({ fetched: viaRest.fetched, complete: true });
    expect(viaArchives.pages).toBeLessThanOrEqual(2); // the halt's hour and a half: one page, asked twice when empty
    expect(storedViaArchives).toEqual(await stored('ETHUSDT', input.from, input.to));
  });

  it('stores microsecond archives (2025) with millisecond open times', async () => {
    const input = { symbol: 'BTCUSDT', interval: '1m', from: '2025-06-02', to: '2025-06-04T23:59:00Z' };
    const r = await backfillKlines(input, quiet(), deps());
    expect(r).toMatchObject({ archives: 3, pages: 0, fetched: 3 * 1440, complete: true });
    expect(await stored('BTCUSDT', input.from, input.to)).toEqual(csvRange('BTCUSDT', t(input.from), t(input.to)));
  });

  it('falls back: a missing monthly archive to its daily ones, a corrupt daily one to REST, a short one’s hole to REST', async () => {
    ctx.server.setOptions({ archiveFaults: { missing: ['SOLUSDT-1m-2023-04'], corrupt: ['SOLUSDT-1m-2023-04-05'], short: ['SOLUSDT-1m-2023-04-10'] } });
    const input = { symbol: 'SOLUSDT', interval: '1m', from: '2023-04-01', to: '2023-04-30T23:59:00Z' };
    const r = await backfillKlines(input, quiet(), deps());
    expect(r).toMatchObject({ archives: 29, archiveFallbacks: 2, gapBars: 0, complete: true, fetched: 43_200 });
    // The corrupt day (1440 bars: 2 pages) and the short day's missing hour (1 page), nothing else.
    expect(r.pages).toBe(3);
    expect(ctx.server.stats.klinesRows).toBe(1440 + 60);
    expect(await stored('SOLUSDT', input.from, input.to)).toEqual(csvRange('SOLUSDT', t(input.from), t(input.to)));
  });

  it('reads the exchange clock beside the downloads; a job that needs no page ends without waiting for it, and nothing of it outlives the job', async () => {
    // Every /api/v3/time fails: the early clock read keeps retrying (backoff 150, 300, 600 ms).
    ctx.server.setOptions({ faults: { paths: ['/api/v3/time'], rates: { '503': 1 } } });
    const logs: string[] = [];
    const job = { ...quiet(), log: (m: string) => void logs.push(m) };
    try {
      const input = { symbol: 'BTCUSDT', interval: '1m', from: '2023-04-01', to: '2023-04-30T23:59:00Z' };
      const r = await backfillKlines(input, job, deps({ clientOptions: { backoffMs: 150 } }));
      expect(r).toMatchObject({ archives: 1, pages: 0, complete: true });
      expect(ctx.server.stats.faults).toBeGreaterThan(0); // the clock was read during the job
      const requests = ctx.server.stats.requests;
      const lines = logs.length;
      await new Promise((res) => setTimeout(res, 1500));
      expect(ctx.server.stats.requests).toBe(requests);
      expect(logs.length).toBe(lines);
      // A failed early read is read again by the first page that needs it: here it succeeds.
      await redis.client.flushall();
      ctx.server.setOptions({ faults: { paths: ['/api/v3/time'], next: ['503', '503', '503', '503', '503'] }, archiveFaults: { short: ['SOLUSDT-1m-2023-04'] } });
      const short = await backfillKlines({ symbol: 'SOLUSDT', interval: '1m', from: '2023-04-01', to: '2023-04-30T23:59:00Z' }, job, deps({ clientOptions: { backoffMs: 1 } }));
      expect(short).toMatchObject({ archives: 1, complete: true });
      expect(short.pages).toBeGreaterThan(0);
      expect(await stored('SOLUSDT', '2023-04-10T12:00:00Z', '2023-04-10T12:59:00Z')).toEqual(csvRange('SOLUSDT', t('2023-04-10T12:00:00Z'), t('2023-04-10T12:59:00Z')));
    } finally {
      ctx.server.setOptions({ faults: {} });
    }
  });

  it('reads the clock while the archive downloads, and pages a short archive’s holes side by side', async () => {
    ctx.server.setOptions({ latencyMs: 100, archiveFaults: { short: ['SOLUSDT-1m-2023-04-10'] } });
    // Bars stored inside the archive's missing hour (12:00-12:59) split its hole in three.
    const store = new KlineStore(redis.client);
    for (const [a, b] of [['12:20', '12:29'], ['12:40', '12:49']]) await store.upsert('SOLUSDT', '1m', csvRange('SOLUSDT', t(`2023-04-10T${a}:00Z`), t(`2023-04-10T${b}:00Z`)));
    const input = { symbol: 'SOLUSDT', interval: '1m', from: '2023-04-10', to: '2023-04-10T23:59:00Z' };
    const r = await backfillKlines(input, quiet(), deps());
    expect(r).toMatchObject({ archives: 1, pages: 3, fetched: 1440 - 20, gapBars: 0, complete: true });
    expect(await stored('SOLUSDT', input.from, input.to)).toEqual(csvRange('SOLUSDT', t(input.from), t(input.to)));
    // The zip, its .CHECKSUM and the clock read (/api/v3/time) at once; then the three pages at once.
    expect(ctx.server.stats.inFlightMax).toBeGreaterThanOrEqual(3);
    expect(ctx.server.stats.klinesInFlightMax).toBe(3);
  });

  it('takes today over REST: only closed days are archived', async () => {
    const now = t('2023-04-05T12:00:30Z');
    ctx.server.setOptions({ now: () => now });
    try {
      const input = { symbol: 'XRPUSDT', interval: '1m', from: '2023-04-03', to: '2023-04-05T11:59:00Z' };
      const r = await backfillKlines(input, quiet(), deps({ now: () => now }));
      expect(r).toMatchObject({ archives: 2, pages: 1, fetched: 2 * 1440 + 720, complete: true });
      expect(await stored('XRPUSDT', input.from, input.to)).toEqual(csvRange('XRPUSDT', t(input.from), t(input.to)));
    } finally {
      ctx.server.setOptions({ now: Date.now });
    }
  });

  it('resumes after a crash: only the archive in flight is fetched again', async () => {
    const input = { symbol: 'ETHUSDT', interval: '1m', from: '2023-04-03', to: '2023-04-08T23:59:00Z', concurrency: 1 };
    let last: BackfillHeartbeat | undefined;
    let beats = 0;
    const crashing = quiet({
      onHeartbeat: (d) => {
        if (++beats === 3) throw new Error('worker crashed');
        last = d as BackfillHeartbeat;
      },
    });
    await expect(backfillKlines(input, crashing, deps())).rejects.toThrow('worker crashed');
    expect(last).toMatchObject({ cursor: t('2023-04-05T00:00:00Z'), counts: { archives: 2 } });
    const resumed = await backfillKlines(input, quiet({ resume: last }), deps());
    expect(ctx.server.stats.archiveFiles).toBeLessThanOrEqual(6 + 1);
    expect(resumed).toMatchObject({ complete: true, archives: 2 + 3, skipped: 3 * 1440 });
    expect(await stored('ETHUSDT', input.from, input.to)).toEqual(csvRange('ETHUSDT', t(input.from), t(input.to)));
  });

  it('takes a short archive’s hole over REST before counting it done: a crash after it fetches that archive no more', async () => {
    // 2023-03-24's archive lacks the halt (12:40-13:59); REST records it as a gap at once.
    const input = { symbol: 'BTCUSDT', interval: '1m', from: '2023-03-23', to: '2023-03-26T23:59:00Z', concurrency: 1 };
    let last: BackfillHeartbeat | undefined;
    const crashing = quiet({
      onHeartbeat: (d) => {
        if ((d as BackfillHeartbeat).cursor >= t('2023-03-25T00:00:00Z')) throw new Error('worker crashed');
        last = d as BackfillHeartbeat;
      },
    });
    await expect(backfillKlines(input, crashing, deps())).rejects.toThrow('worker crashed');
    expect(ctx.server.stats.archiveFiles).toBe(2);
    const resumed = await backfillKlines(input, quiet({ resume: last }), deps());
    // Four days, four archives: the halt day's is not fetched again.
    expect(ctx.server.stats.archiveFiles).toBe(4);
    expect(resumed).toMatchObject({ complete: true, gapBars: 80, skipped: 2 * 1440 - 80 });
    expect(await stored('BTCUSDT', input.from, input.to)).toEqual(csvRange('BTCUSDT', t(input.from), t(input.to)));
  });

  it('decode threads write over their own connection what an inline decode writes, in the client’s database and key prefix', async () => {
    const other = new Redis({ ...redis.client.options, db: 3, keyPrefix: 'p:' });
    try {
      expect(threadConnection(other)).toMatchObject({ db: 3, keyPrefix: 'p:', port: redis.client.options.port });
      const input = { symbol: 'ETHUSDT', interval: '1m', from: '2023-04-27T06:00:00Z', to: '2023-04-30T23:59:00Z' };
      const threaded = await backfillKlines(input, quiet(), deps({ redis: other }));
      const inline = await backfillKlines(input, quiet(), deps({ archiveClient: createArchiveClient({ baseUrl: ctx.server.url, decodeInline: true }) }));
      expect(threaded).toMatchObject({ archives: 4, fetched: 4 * 1440 - 360, pages: 0, gapBars: 0 });
      expect(threaded).toMatchObject({ archives: inline.archives, fetched: inline.fetched, written: inline.written, gapBars: inline.gapBars, complete: true });
      expect(await new KlineStore(other).range('ETHUSDT', '1m', t(input.from), t(input.to))).toEqual(await stored('ETHUSDT', input.from, input.to));
      expect(await stored('ETHUSDT', input.from, input.to)).toEqual(csvRange('ETHUSDT', t(input.from), t(input.to)));
      expect(await redis.client.keys('p:*')).toEqual([]); // nothing of db 3 landed in db 0
      expect((await other.keys('*')).length).toBeGreaterThan(0);
    } finally {
      await other.flushdb();
      other.disconnect();
    }
  });
});
