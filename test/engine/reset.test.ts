// A failed run reset (as from the Web UI) to the workflow task after its last good stage keeps
// that stage's result and re-runs the rest: here a trades import that failed on a bad file
// succeeds after the file is fixed, and the stage before it is not run again.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { resetToLastGoodStage } from '../../cli/reset';
import { paths } from '../../stack/tools';
import type { RunState } from '../../workflows/run-state';

const stack = useStack();

const trade = (i: number) =>
  JSON.stringify({ symbol: 'BTCUSDT', side: 'long', entry_time_ms: 1680307200000 + i * 60000, exit_time_ms: 1680310800000 + i * 60000, entry_price: 28000, exit_price: 28100, pnl_pct: 0.357, source: 'reset-test' });

describe('reset of a failed run', () => {
  it('re-runs from the failed stage and keeps the stages before it', async () => {
    const dir = path.join(paths.var, 'test', `reset-${randomUUID().slice(0, 8)}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'trades.jsonl');
    writeFileSync(file, [trade(0), '{"symbol": "BTCUSDT", "side": "sideways"}', trade(2)].join('\n') + '\n');
    const plan = compileYaml(`
name: reset-me
stages:
  before: { uses: core.sleep, with: { ms: 10 } }
  import:
    uses: trades.import
    needs: before
    with: { file: "${file}", stream: "reset.trades" }
    retry: { maxAttempts: 3, initialInterval: 50ms, nonRetryable: [InvalidInput] }
`);
    const handle = await startRun(stack.client, stack.config, plan);
    const failure = await handle.result().then(() => undefined, (e: Error & { cause?: Error }) => e.cause?.message);
    expect(failure).toMatch(/stage 'import' failed: InvalidInput: .*trades.jsonl: 1 bad line[\s\S]*line 2: missing field/);

    writeFileSync(file, [trade(0), trade(1), trade(2)].join('\n') + '\n');
    const { runId } = await resetToLastGoodStage(stack.client, handle.workflowId, 'fixed the trades file');
    const resetRun = stack.client.workflow.getHandle(handle.workflowId, runId!);
    const state = (await resetRun.result()) as RunState;
    expect(state.stages.import.status).toBe('succeeded');
    expect(state.stages.import.outputs).toMatchObject({ imported: 3 });
    expect(await stack.redis.client.xlen('reset.trades')).toBe(3);
    // 'before' ran once: its completion was kept from the failed run, not scheduled again.
    const after = (await resetRun.fetchHistory()).events!;
    const scheduled = after.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name);
    expect(scheduled.filter((n) => n === 'core.sleep')).toHaveLength(1);
    expect(scheduled.filter((n) => n === 'trades.import')).toHaveLength(1);
  });
});
