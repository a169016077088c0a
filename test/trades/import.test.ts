import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useRedis } from '../support/redis';
import { localContext } from '../../activities/context';
import { archiveDay } from '../../activities/trades/archive-day';
import { importTrades, ImportValidationError } from '../../activities/trades/import';
import { runCli } from '../../cli/command';
import { tradesImportCommand } from '../../cli/commands/trades-import';
import { loadConfig } from '../../config';
import { readTrades } from '../../activities/trades/reader';
import { tradeId } from '../../activities/trades/trade';
import { InvalidInputError } from '../../activities/errors';
import { freshStream, LATER, tmpDataDir } from './helpers';

const r = useRedis();
const REAL = path.resolve(__dirname, '../../data/trades/trades-andresciancio-dryrun.jsonl');

const line = (over: Record<string, unknown> = {}) => JSON.stringify({
  symbol: 'ETHUSDT', side: 'long', entry_time_ms: 1681000000000, exit_time_ms: 1681003600000,
  entry_price: 1900.5, exit_price: 1910, pnl_pct: 0.3, source: 'file-test', ...over,
});

describe('importTrades', () => {
  it('reports every bad line with its number and writes nothing', async () => {
    const stream = freshStream();
    const file = path.join(tmpDataDir(), 'bad.jsonl');
    writeFileSync(file, [line(), line({ exit_time_ms: 1680000000000 }), '', line({ pnl_pct: 'x' }), '{oops', line({ side: 'flat' })].join('\n'));
    const err = await importTrades(file, { redis: r.client, stream }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportValidationError);
    expect((err as ImportValidationError).errors).toEqual([
      { line: 2, reason: 'exit_time_ms < entry_time_ms' },
      { line: 4, reason: 'bad number in pnl_pct: "x"' },
      { line: 5, reason: expect.stringMatching(/^invalid JSON/) },
      { line: 6, reason: 'bad side "flat" (long|short)' },
    ]);
    expect(err.message).toMatch(/line 2: exit_time_ms < entry_time_ms/);
    expect(await r.client.exists(stream, `${stream}:ids`)).toBe(0);
    await expect(importTrades(file + '.missing', { redis: r.client, stream })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('is idempotent by trade id, also for trades already archived and trimmed', async () => {
    const stream = freshStream();
    const dataDir = tmpDataDir();
    const first = await importTrades(REAL, { redis: r.client, stream, dataDir });
    expect(first).toMatchObject({ read: 11, imported: 11, skippedDuplicates: 0 });
    const second = await importTrades(REAL, { redis: r.client, stream, dataDir });
    expect(second).toMatchObject({ read: 11, imported: 0, skippedDuplicates: 11 });
    expect(await r.client.xlen(stream)).toBe(11);

    const trades = await readTrades({ redis: r.client, dataDir, stream, fromMs: 0, toMs: Date.UTC(2030, 0) });
    const day = new Date(trades[0].exit_time_ms).toISOString().slice(0, 10);
    const archived = await archiveDay({ day, stream, trim: true }, { redis: r.client, dataDir, now: LATER }, localContext({ quiet: true }));
    expect(archived.trimmed).toBeGreaterThan(0);
    await r.client.del(`${stream}:ids`); // even without the id set, the archive is checked
    const third = await importTrades(REAL, { redis: r.client, stream, dataDir });
    expect(third).toMatchObject({ imported: 0, skippedDuplicates: 11 });
  });

  it('reads CSV with a header row, quoted fields and ids from the file or derived', async () => {
    const stream = freshStream();
    const file = path.join(tmpDataDir(), 'trades.csv');
    writeFileSync(file, [
      'symbol,side,entry_time_ms,exit_time_ms,entry_price,exit_price,pnl_pct,source,id',
      'BTCUSDT,short,1681000000000,1681003600000,30000,29900,0.233,"bot,v2 ""x""",own-1',
      'BTCUSDT,long,1681000000000,1681003600000,30000,30100,0.233,plain,',
      'BTCUSDT,long,1681000000000,1681003600000,30000,30100,0.233,plain,', // same derived id
    ].join('\r\n'));
    const out = await importTrades(file, { redis: r.client, stream });
    expect(out).toMatchObject({ read: 3, imported: 2, skippedDuplicates: 1 });
    const got = await readTrades({ redis: r.client, dataDir: tmpDataDir(), stream, fromMs: 0, toMs: Date.UTC(2030, 0) });
    const derived = tradeId({ source: 'plain', symbol: 'BTCUSDT', entry_time_ms: 1681000000000, exit_time_ms: 1681003600000 });
    expect(got.map((t) => [t.id, t.side, t.source, t.simulated])).toEqual([
      [derived, 'long', 'plain', false],
      ['own-1', 'short', 'bot,v2 "x"', false],
    ].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  });

  it('client trades import prints the counts and returns an exit code', async () => {
    const stream = freshStream();
    const config = loadConfig({ REDIS_URL: r.url, TRAINFLOW_DATA_DIR: tmpDataDir() });
    const tradesImport = (...argv: string[]) => runCli([tradesImportCommand], ['trades', 'import', ...argv], config);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await tradesImport(REAL, '--stream', stream)).toBe(0);
      expect(await tradesImport(REAL, '--stream', stream)).toBe(0);
      expect(log.mock.calls.map((c) => String(c[0]).replace(/^.*: /, ''))).toEqual([
        'read 11, imported 11, skipped-duplicates 0',
        'read 11, imported 0, skipped-duplicates 11',
      ]);
      const bad = path.join(tmpDataDir(), 'bad.jsonl');
      writeFileSync(bad, line({ side: 'up' }) + '\n');
      expect(await tradesImport(bad, '--stream', stream)).toBe(1);
      expect(String(err.mock.calls[0][0])).toMatch(/line 1: bad side/);
      expect(await tradesImport()).toBe(2);
      expect(String(err.mock.calls[1][0])).toMatch(/missing argument\nusage: client trades import/);
      expect(await tradesImport(REAL, '--strem', stream)).toBe(2);
      expect(String(err.mock.calls[2][0])).toMatch(/unknown flag --strem for 'client trades import'. Did you mean --stream\?/);
      log.mockClear();
      expect(await tradesImport(REAL, '--stream', stream, '--json')).toBe(0);
      expect(JSON.parse(String(log.mock.calls[0][0]))).toMatchObject({ read: 11, imported: 0, skippedDuplicates: 11 });
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
