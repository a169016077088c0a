// The interpreter on the real Temporal dev server with a real worker and real Redis.
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { failureOf } from '../support/failure';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { statusQuery } from '../../workflows/messages';
import type { RunState } from '../../workflows/run-state';
import type { Plan } from '../../dsl/plan';

const stack = useStack();

async function run(plan: Plan, params: Record<string, unknown> = {}, extra: { maxHistoryEvents?: number } = {}) {
  const handle = await startRun(stack.client, stack.config, plan, { params, ...extra });
  return { handle, result: handle.result() as Promise<RunState> };
}

describe('pipeline interpreter', () => {
  it('runs the two middle stages of a diamond concurrently, and the join after both', async () => {
    const plan = compileYaml(`
name: diamond
stages:
  top: { uses: core.sleep, with: { ms: 50 } }
  left: { uses: core.sleep, needs: top, with: { ms: 1500 } }
  right: { uses: core.sleep, needs: [top], with: { ms: 1500 } }
  join: { uses: core.echo, needs: [left, right], with: { value: "\${{ stages.left.outputs.finishedAt }}" } }
`);
    const state = await (await run(plan)).result;
    const out = (id: string) => state.stages[id].outputs as { startedAt: number; finishedAt: number };
    expect(state.status).toBe('succeeded');
    // Concurrent: each middle stage started before the other finished.
    expect(out('left').startedAt).toBeLessThan(out('right').finishedAt);
    expect(out('right').startedAt).toBeLessThan(out('left').finishedAt);
    expect(out('left').startedAt).toBeGreaterThanOrEqual(out('top').finishedAt);
    expect((state.stages.join.outputs as { value: number }).value).toBe(out('left').finishedAt);
  });

  it('retries a failing stage per its policy, then fails the run naming the stage', async () => {
    const plan = compileYaml(`
name: flaky
stages:
  ok: { uses: core.echo, with: { message: hi } }
  boom:
    uses: core.fail
    needs: ok
    with: { message: exchange unavailable }
    retry: { maxAttempts: 3, initialInterval: 100ms, backoff: 2, maxInterval: 1s }
  after: { uses: core.echo, needs: boom, with: { message: never } }
`);
    const { handle, result } = await run(plan);
    const err = await failureOf(result);
    expect(err.cause?.message).toMatch(/^stage 'boom' failed: .*exchange unavailable \(attempt 3\)/);
    const history = await handle.fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(attempts).toContain(3);
    expect(attempts).not.toContain(4);
    const state = await handle.query(statusQuery);
    expect(state.stages.ok.status).toBe('succeeded');
    expect(state.stages.boom.status).toBe('failed');
    expect(state.stages.after.status).not.toBe('succeeded');
  });

  it('succeeds when a stage fails fewer times than it may retry', async () => {
    const plan = compileYaml(`
name: recovers
stages:
  flaky:
    uses: core.fail
    with: { message: transient, failTimes: 2 }
    retry: { maxAttempts: 3, initialInterval: 50ms }
`);
    const state = await (await run(plan)).result;
    expect(state.stages.flaky.outputs).toEqual({ attempts: 3 });
  });

  it('does not retry an error type listed as non-retryable', async () => {
    const plan = compileYaml(`
name: fatal
stages:
  bad:
    uses: core.fail
    with: { message: bad symbol, errorType: BadSymbol }
    retry: { maxAttempts: 5, initialInterval: 50ms, nonRetryable: [BadSymbol] }
`);
    const { handle, result } = await run(plan);
    const err = await failureOf(result);
    expect(err.cause?.message).toMatch(/stage 'bad' failed: .*bad symbol \(attempt 1\)/);
    const history = await handle.fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(attempts).toEqual([1]);
  });

  it('skips a stage whose condition is false, and the stages that need it', async () => {
    const plan = compileYaml(`
name: conditional
params:
  publish: { type: boolean, default: false }
stages:
  train: { uses: core.echo, with: { value: 0.01 } }
  publish: { uses: core.echo, needs: train, when: "\${{ params.publish && stages.train.outputs.value > 0 }}", with: { message: published } }
  notify: { uses: core.echo, needs: publish, with: { message: notified } }
  always: { uses: core.echo, needs: train, with: { message: done } }
`);
    const skipped = await (await run(plan)).result;
    expect(skipped.stages.publish.status).toBe('skipped');
    expect(skipped.stages.notify.status).toBe('skipped');
    expect(skipped.stages.always.status).toBe('succeeded');
    const ran = await (await run(plan, { publish: 'true' })).result;
    expect(ran.stages.publish.status).toBe('succeeded');
    expect(ran.stages.notify.outputs).toEqual({ message: 'notified' });
  });

  it('fans out over a list and collects the results in order', async () => {
    const plan = compileYaml(`
name: fanout
params:
  symbols: { type: array, items: string, default: [BTCUSDT, ETHUSDT, SOLUSDT, XRPUSDT] }
stages:
  each:
    uses: core.echo
    forEach: "\${{ params.symbols }}"
    with: { message: "\${{ index }}:\${{ item }}" }
  count: { uses: core.echo, needs: each, with: { value: "\${{ length(stages.each.outputs) }}" } }
`);
    const state = await (await run(plan)).result;
    expect((state.stages.each.outputs as Array<{ message: string }>).map((o) => o.message)).toEqual([
      '0:BTCUSDT', '1:ETHUSDT', '2:SOLUSDT', '3:XRPUSDT',
    ]);
    expect(state.stages.count.outputs).toEqual({ value: 4 });
  });

  it('continues as new during a long fan-out and keeps every result', async () => {
    const plan = compileYaml(`
name: long-fanout
stages:
  first: { uses: core.echo, with: { message: start } }
  chunks:
    uses: core.echo
    needs: first
    forEach: "\${{ range(40) }}"
    concurrency: 4
    with: { value: "\${{ item * 10 }}" }
  last: { uses: core.echo, needs: chunks, with: { value: "\${{ length(stages.chunks.outputs) }}" } }
`);
    const { handle, result } = await run(plan, {}, { maxHistoryEvents: 60 });
    const state = await result;
    expect(state.continuedAsNew).toBeGreaterThanOrEqual(2);
    expect((state.stages.chunks.outputs as Array<{ value: number }>).map((o) => o.value)).toEqual(Array.from({ length: 40 }, (_, i) => i * 10));
    expect(state.stages.last.outputs).toEqual({ value: 40 });
    // Every run in the chain kept its history near the threshold.
    const desc = await handle.describe();
    expect(desc.historyLength).toBeLessThan(120);
  });

  it('cancels running activities when the run is cancelled', async () => {
    const plan = compileYaml(`
name: cancellable
stages:
  slow: { uses: core.sleep, with: { ms: 60000 }, timeout: { startToClose: 2m, heartbeat: 2s } }
`);
    const { handle, result } = await run(plan);
    await new Promise((r) => setTimeout(r, 1000));
    await handle.cancel();
    const err = await failureOf(result);
    expect(err.cause?.name).toBe('CancelledFailure');
    expect((await handle.describe()).status.name).toBe('CANCELLED');
  });

  it('fails a run with a malformed plan at once instead of retrying its workflow task', async () => {
    const handle = await stack.client.workflow.start('pipeline', {
      taskQueue: stack.config.taskQueue,
      workflowId: `bad-plan-${Date.now()}`,
      args: [{ plan: { version: 99 }, params: {} }],
    });
    const err = await failureOf(handle.result());
    expect(err.cause?.message).toMatch(/not a Trainflow plan/);
  });

  it('makes runs findable by pipeline name and shows the plan hash in the memo', async () => {
    const plan = compileYaml(`
name: findable-${Date.now()}
stages:
  only: { uses: core.echo, with: { message: x } }
`);
    const { handle, result } = await run(plan);
    await result;
    const desc = await handle.describe();
    expect(desc.memo).toMatchObject({ pipeline: plan.name, planHash: plan.hash });
    let found: string[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      found = [];
      for await (const wf of stack.client.workflow.list({ query: `Pipeline = "${plan.name}"` })) found.push(wf.workflowId);
      if (!found.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toEqual([handle.workflowId]);
  });
});
