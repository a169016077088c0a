// `client reset <id> --from-stage S [--follow]` on the real worker and Temporal dev server: the
// reset point is found in the history, the stages before S keep their results, S and the rest run
// again; a completed run gets a warning; a stage without a reset point is named plainly.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { clientInProcess } from '../support/client-in-process';
import { paths } from '../../stack/tools';
import type { RunState } from '../../workflows/run-state';

const stack = useStack();
const dir = path.join(paths.var, 'test', `reset-cli-${randomUUID().slice(0, 8)}`);
const client = clientInProcess(() => stack.config);
const tag = randomUUID().slice(0, 6);

function write(name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}
const startedId = (stdout: string) => /started (\S+)/.exec(stdout)![1];
const scheduledStages = async (workflowId: string, runId: string) =>
  ((await stack.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [])
    .filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name);

describe('client reset --from-stage', () => {
  it('re-runs a completed run from a stage with a warning, keeps the stages before, and --follow prints the new run', async () => {
    const file = write('chain.yaml', `name: chain-${tag}
stages:
  first: { uses: core.echo, with: { message: one } }
  second: { uses: core.sleep, needs: first, with: { ms: 10 } }
  third: { uses: core.echo, needs: second, with: { message: "\${{ stages.first.outputs.message }}-three" } }
`);
    const run = await client('run', file);
    expect(run.code, run.stderr).toBe(0);
    const id = startedId(run.stdout);
    const before = (await stack.client.workflow.getHandle(id).result()) as RunState;

    const r = await client('reset', id, '--from-stage', 'second', '--follow');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`warning: ${id} had completed; stage 'second' and every stage after it run again \\(second, third\\)`));
    expect(r.stdout).toMatch(new RegExp(`reset ${id} to event \\d+ \\(before stage 'second' started\\): new run \\S+`));
    expect(r.stdout).toMatch(/kept: first\n {2}runs again: second, third/);
    expect(r.stdout).toMatch(/✓ third \(core\.echo\) succeeded/);
    expect(r.stdout).toMatch(/^outcome: succeeded/m);

    const newRunId = /new run (\S+)/.exec(r.stdout)![1];
    const after = (await stack.client.workflow.getHandle(id, newRunId).result()) as RunState;
    expect(after.stages.third.outputs).toEqual({ message: 'one-three' });
    // 'first' was not run again: its completion came over from the old run.
    expect(after.stages.first.startedAt).toBe(before.stages.first.startedAt);
    expect(Date.parse(after.stages.second.startedAt!)).toBeGreaterThan(Date.parse(before.stages.third.finishedAt!));
    expect(await scheduledStages(id, newRunId)).toEqual(['core.echo', 'core.sleep', 'core.echo']);
  });

  it('re-runs a failed stage after its cause is fixed, without a warning', async () => {
    const trades = write('trades.jsonl', '{"symbol": "BTCUSDT", "side": "sideways"}\n');
    const file = write('import.yaml', `name: import-${tag}
stages:
  prepare: { uses: core.echo, with: { message: ready } }
  load:
    uses: trades.import
    needs: prepare
    with: { file: ${trades}, stream: "reset.${tag}" }
    retry: { maxAttempts: 1 }
`);
    const run = await client('run', file);
    expect(run.code).toBe(1);
    const id = startedId(run.stdout);
    writeFileSync(trades, JSON.stringify({ symbol: 'BTCUSDT', side: 'long', entry_time_ms: 1680307200000, exit_time_ms: 1680310800000, entry_price: 28000, exit_price: 28100, pnl_pct: 0.357, source: 'reset-cli' }) + '\n');
    const r = await client('reset', id, '--from-stage', 'load', '--follow', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ stage: 'load', kept: ['prepare'], rerun: ['load'], previousStatus: 'FAILED', status: 'COMPLETED' });
    expect(out.state.stages.load.outputs).toMatchObject({ imported: 1 });
    expect(await stack.redis.client.xlen(`reset.${tag}`)).toBe(1);
  });

  it('names a wrong stage, and a stage that has no point to reset to', async () => {
    const file = write('skips.yaml', `name: skips-${tag}
stages:
  a: { uses: core.echo }
  b: { uses: core.echo, needs: a, when: "\${{ false }}" }
`);
    const id = startedId((await client('run', file)).stdout);
    const wrong = await client('reset', id, '--from-stage', 'aa');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/has no stage 'aa'. Did you mean 'a'\? Its stages: a, b/);
    const skipped = await client('reset', id, '--from-stage', 'b');
    expect(skipped.code).toBe(1);
    expect(skipped.stderr).toMatch(/stage 'b' scheduled no activity in run \S+ of \S+: it was skipped, has not started yet; there is no point in its history to reset to/);
    const runFlag = await client('reset', id, '--run', 'x');
    expect(runFlag.stderr).toMatch(/--run goes with --from-stage/);
  });
});
