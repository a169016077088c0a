// After a Reset, a stage that was in flight at the reset point runs again; its duration is
// measured from the reset (the new attempt), not from its first start before the failure.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { resetToLastGoodStage } from '../../cli/reset';
import { paths } from '../../stack/tools';
import type { RunState, StageState } from '../../workflows/run-state';
import { statusQuery } from '../../workflows/messages';

const stack = useStack();

const trade = (i: number) =>
  JSON.stringify({ symbol: 'BTCUSDT', side: 'long', entry_time_ms: 1680307200000 + i * 60000, exit_time_ms: 1680310800000 + i * 60000, entry_price: 28000, exit_price: 28100, pnl_pct: 0.357, source: 'reset-durations' });
const seconds = (s: StageState) => (Date.parse(s.finishedAt!) - Date.parse(s.startedAt!)) / 1000;

describe('stage durations after a reset', () => {
  it('measures a stage that was in flight at the reset point from the reset', async () => {
    const dir = path.join(paths.var, 'test', `reset-durations-${randomUUID().slice(0, 8)}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'trades.jsonl');
    writeFileSync(file, [trade(0), '{"symbol": "BTCUSDT"}'].join('\n') + '\n');
    const plan = compileYaml(`
name: reset-durations
stages:
  start: { uses: core.echo, with: { message: go } }
  long: { uses: core.sleep, needs: start, with: { ms: 3000 }, timeout: { heartbeat: 2s } }
  quick: { uses: core.echo, needs: start, with: { message: quick } }
  import:
    uses: trades.import
    needs: quick
    with: { file: "${file}", stream: "reset-durations.trades" }
    retry: { maxAttempts: 1 }
`);
    const handle = await startRun(stack.client, stack.config, plan);
    const failure = await handle.result().then(() => undefined, (e: Error & { cause?: Error }) => e.cause?.message);
    expect(failure).toMatch(/stage 'import' failed/);
    // The gap a user leaves before fixing and resetting; without the fix it shows in 'long'.
    await new Promise((r) => setTimeout(r, 6000));
    writeFileSync(file, [trade(0), trade(1)].join('\n') + '\n');
    const { runId } = await resetToLastGoodStage(stack.client, handle.workflowId, 'fixed the file');
    const resetRun = stack.client.workflow.getHandle(handle.workflowId, runId);
    const state = (await resetRun.result()) as RunState;
    expect(state.status).toBe('succeeded');
    // 'long' was scheduled before the reset point and ran again after it: 3 s of sleep, not 9+.
    expect(seconds(state.stages.long)).toBeGreaterThanOrEqual(2.9);
    expect(seconds(state.stages.long)).toBeLessThan(5.5);
    // 'quick' ended before the failure, but the reset run noticed its end only at the reset.
    expect(seconds(state.stages.quick)).toBeLessThan(2);
    expect(seconds(state.stages.start)).toBeLessThan(2);
    expect(seconds(state.stages.import)).toBeLessThan(3);
    expect(Date.parse(state.stages.import.startedAt!)).toBeGreaterThanOrEqual(Date.parse(state.stages.long.startedAt!));
    // The query says the same as the result.
    expect((await resetRun.query(statusQuery)).stages.long.startedAt).toBe(state.stages.long.startedAt);
  }, 120_000);
});
