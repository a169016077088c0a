import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis';
import { localContext } from '../../activities/context';
import { InvalidInputError } from '../../activities/errors';
import { KlineStore } from '../../activities/binance/kline-store';
import { buildLabels, type LabelsBuildInput } from '../../activities/labels/build';
import { forwardReturnLabels } from '../../activities/labels/forward';
import { readSamples, writeSamples } from '../../activities/labels/samples-file';
import { importTrades } from '../../activities/trades/import';
import { SIMULATED_FILE } from '../../activities/trades/simulated-file';
import { APRIL, realKlines, SYMBOLS } from './klines';

const r = useRedis();
const april = realKlines(SYMBOLS, APRIL.fromMs, APRIL.toMs);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'trainflow-labels-'));
const ctx = () => localContext({ quiet: true });
const build = (input: Partial<LabelsBuildInput>) =>
  buildLabels({ symbols: SYMBOLS, interval: '1m', from: '2023-04-01', to: '2023-05-01', kind: 'forward', horizon: 60, every: 60, ...input } as LabelsBuildInput,
    { redis: r.client, dataDir, klines: new KlineStore(r.client) }, ctx());

describe('labels.build', () => {
  beforeAll(async () => {
    const store = new KlineStore(r.client);
    for (const s of SYMBOLS) await store.upsert(s, '1m', april[s]);
  });

  it('builds 1000+ forward-return samples for a month of 4 symbols from klines in Redis', async () => {
    const out = await build({});
    expect(out.count).toBeGreaterThan(1000);
    expect(Object.keys(out.bySymbol).sort()).toEqual(SYMBOLS);
    expect(Object.values(out.bySymbol).every((n) => n > 200)).toBe(true);
    expect(out.dropped).toEqual({ 'end-of-data': 4 }); // the last hour of each symbol
    expect(out.emptySymbols).toEqual([]);
    const direct = writeSamples(mkdtempSync(path.join(os.tmpdir(), 'trainflow-labels-')), forwardReturnLabels(april, { horizonBars: 60, every: 60, intervalMs: 60_000 }).samples);
    expect(out.hash).toBe(direct.hash);
    expect(readSamples(out.samplesFile)).toHaveLength(out.count);
  });

  it('builds barrier samples, and trade samples from the trade stream', async () => {
    const barrier = await build({ kind: 'barrier', takeProfitPct: 1, stopLossPct: 0.5, horizon: 120, every: 30 });
    expect(barrier.count).toBeGreaterThan(1000);
    expect(new Set(readSamples(barrier.samplesFile).map((s) => s.kind))).toEqual(new Set(['barrier']));

    await importTrades(SIMULATED_FILE, { redis: r.client });
    const trades = await build({ kind: 'trades', symbols: ['BTCUSDT', 'ETHUSDT'] });
    expect(trades.count).toBe(182 + 152);
    expect(trades.bySymbol).toEqual({ BTCUSDT: 182, ETHUSDT: 152 });
    const real = await build({ kind: 'trades', symbols: ['BTCUSDT'], includeSimulated: false });
    expect(real.count).toBe(0);
    const none = await build({ symbols: ['BTCUSDT', 'DOGEUSDT'] });
    expect(none.emptySymbols).toEqual(['DOGEUSDT']);
  });

  it('rejects unusable input as InvalidInputError', async () => {
    for (const bad of [{ symbols: [] }, { interval: '7m' }, { from: '2023-05-01' }, { horizon: 0 }, { kind: 'barrier' }, { from: 'yesterday' }]) {
      await expect(build(bad as Partial<LabelsBuildInput>)).rejects.toBeInstanceOf(InvalidInputError);
    }
  });
});
