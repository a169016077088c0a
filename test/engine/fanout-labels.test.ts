// Fan-out items are labelled with what they cover (the Web UI shows each activity's summary, e.g.
// `backfill[3] BTCUSDT 2023-04-08..14`), not only their index; `status` lists the running ones.
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { statusQuery } from '../../workflows/messages';
import { itemLabel, rangeLabel } from '../../workflows/item-label';
import { planBackfill } from '../../activities/binance/plan-backfill';
import { localContext } from '../../activities/context';

const stack = useStack();

describe('itemLabel (pure)', () => {
  it('names the symbol and the range of a backfill chunk', async () => {
    const { chunks } = await planBackfill({ symbols: ['BTCUSDT', 'ETHUSDT'], interval: '1m', from: '2023-04-01', to: '2023-04-30T23:59:00Z', barsPerChunk: 7 * 1440 }, localContext({ quiet: true }));
    expect(chunks.map(itemLabel).slice(0, 6)).toEqual([
      'BTCUSDT 2023-04-01..07',
      'BTCUSDT 2023-04-08..14',
      'BTCUSDT 2023-04-15..21',
      'BTCUSDT 2023-04-22..28',
      'BTCUSDT 2023-04-29..30',
      'ETHUSDT 2023-04-01..07',
    ]);
  });

  it('shortens ranges across months and years, keeps times that are not whole days', () => {
    expect(rangeLabel('2023-04-28', '2023-05-02')).toBe('2023-04-28..05-02');
    expect(rangeLabel('2023-12-30', '2024-01-02')).toBe('2023-12-30..2024-01-02');
    expect(rangeLabel('2023-04-01T06:00:00.000Z', '2023-04-01T12:30:00.000Z')).toBe('2023-04-01T06:00Z..2023-04-01T12:30Z');
    expect(rangeLabel(Date.UTC(2023, 3, 1), Date.UTC(2023, 3, 3))).toBe('2023-04-01..03');
  });

  it('labels scalars, files and lists, and caps the length', () => {
    expect(itemLabel('SOLUSDT')).toBe('SOLUSDT');
    expect(itemLabel(7)).toBe('7');
    expect(itemLabel({ file: '/var/data/trades/2023-04-15.jsonl', day: '2023-04-15' })).toBe('2023-04-15 2023-04-15.jsonl');
    expect(itemLabel(['a', 'b', 'c', 'd', 'e'])).toBe('a,b,c,d,…');
    expect(itemLabel({ other: 1 })).toBe('');
    expect(itemLabel('x'.repeat(100))).toHaveLength(60);
  });
});

describe('fan-out labels on the real server', () => {
  it("puts each item's label in its activity summary and lists the running items in status", async () => {
    const plan = compileYaml(`
name: labelled
stages:
  plan:
    uses: binance.planBackfill
    with: { symbols: [BTCUSDT, ETHUSDT], interval: 1m, from: "2023-04-01", to: "2023-04-14T23:59:00Z", barsPerChunk: 10080 }
  each:
    uses: core.sleep
    needs: plan
    forEach: "\${{ stages.plan.outputs.chunks }}"
    concurrency: 2
    with: { ms: 1500 }
    timeout: { heartbeat: 2s }
`);
    const handle = await startRun(stack.client, stack.config, plan);
    let running: string[] | undefined;
    for (let i = 0; i < 100 && !running?.length; i++) {
      running = (await handle.query(statusQuery).catch(() => undefined))?.stages.each.items?.running;
      if (!running?.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(running).toEqual(['[0] BTCUSDT 2023-04-01..07', '[1] BTCUSDT 2023-04-08..14']);
    await handle.result();
    const events = (await handle.fetchHistory()).events!;
    const summaries = events
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => e.userMetadata?.summary?.data && JSON.parse(Buffer.from(e.userMetadata.summary.data).toString()));
    expect(summaries).toEqual([
      'plan',
      'each[0] BTCUSDT 2023-04-01..07',
      'each[1] BTCUSDT 2023-04-08..14',
      'each[2] ETHUSDT 2023-04-01..07',
      'each[3] ETHUSDT 2023-04-08..14',
    ]);
    expect((await handle.query(statusQuery)).stages.each.items!.running).toEqual([]);
  }, 60_000);
});
