// pipelines/live-klines.yaml and pipelines/nightly-reconcile.yaml on the real stack (Temporal dev
// server, a worker, Redis, the local Binance-compatible server), fed by the simulators.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localContext } from '../../activities/context';
import { KlineStore } from '../../activities/binance/kline-store';
import { simulateBars, simulateTicks } from '../../activities/klines/simulate';
import { shippedBars } from '../../activities/klines/shipped-klines';
import { compileFile } from '../../cli/compile-file';
import { startRun } from '../../cli/run';
import { paths } from '../../stack/tools';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import type { RunState } from '../../workflows/run-state';
import { useStack } from '../support/stack';

let server: BinanceServer;
beforeAll(async () => {
  server = await startBinanceServer({});
});
afterAll(() => server?.close());
const stack = useStack(() => ({ binanceBaseUrl: server.url }));
const ctx = () => localContext({ quiet: true });
const FROM = Date.parse('2025-08-01T00:00Z');
const TO = Date.parse('2025-08-01T00:09Z');

async function run(file: string, opts: Parameters<typeof startRun>[3]) {
  const { plan, errors } = compileFile(path.join(paths.root, 'pipelines', file));
  expect(errors).toEqual([]);
  const state = (await (await startRun(stack.client, stack.config, plan!, opts)).result()) as RunState;
  for (const s of plan!.stages) expect(state.stages[s.id].status, s.id).toBe('succeeded');
  return (id: string) => state.stages[id].outputs as Record<string, any>;
}

describe('the live-klines and nightly-reconcile pipelines', () => {
  it('build bars from both streams, then reconcile each live copy with Binance and adopt its bars', async () => {
    const redis = stack.redis.client;
    await simulateTicks({ symbols: ['BTCUSDT'], from: FROM, to: TO }, ctx(), { redis });
    await simulateBars({ symbols: ['BTCUSDT'], from: FROM, to: TO }, ctx(), { redis });

    const live = await run('live-klines.yaml', { params: { symbols: ['BTCUSDT'], runFor: '3m', idle: '2s', clock: 'event' } });
    expect(live('ticks')).toMatchObject({ bars: 10, late: 0, invalid: 0, pending: 0, stoppedBecause: 'idle' });
    expect(live('bars')).toMatchObject({ bars: 10, duplicates: 0, invalid: 0, pending: 0, stoppedBecause: 'idle' });
    // Whichever consumer wrote a minute first, the other left it: each minute written once.
    expect(live('ticks').mainWritten + live('bars').mainWritten).toBe(10);
    expect(live('ticks').kept + live('bars').kept).toBe(10);

    const nightly = await run('nightly-reconcile.yaml', { params: { symbols: ['BTCUSDT'] }, logicalDate: '2025-08-02T00:40:00Z' });
    for (const id of ['fromTicks', 'fromBot']) {
      const r = nightly(id);
      expect([r.from, r.live, r.binance, r.both, r.liveOnly, r.binanceOnly], id).toEqual(['2025-08-01T00:00:00.000Z', 10, 10, 10, 0, 0]);
      for (const f of ['open', 'high', 'low', 'close', 'volume', 'trades', 'takerBuyBase']) expect(r.maxAbsDelta[f], `${id} ${f}`).toBe(0);
      expect(existsSync(r.reportFile)).toBe(true);
    }
    // The bot pushed Binance's own rows: nothing differs at all.
    expect(nightly('fromBot').barsDiffering).toBe(0);
    const stored = await new KlineStore(redis).range('BTCUSDT', '1m', FROM, TO);
    expect(stored.map((k) => [k.quoteVolume, k.takerBuyQuote])).toEqual(shippedBars('BTCUSDT', FROM, TO).map((b) => [Number(b.quoteVolume), Number(b.takerBuyQuote)]));
  }, 180_000);
});
