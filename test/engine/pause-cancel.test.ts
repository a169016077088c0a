// client pause / resume between stages (and between fan-out items), client cancel: running
// activities stop within one heartbeat interval, including one that never looks at its cancel
// signal. Real dev server, worker and Redis; the commands run as a user runs them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { useStack } from '../support/stack';
import { compileYaml } from '../support/pipelines';
import { clientRunner } from '../support/client-process';
import { startRun } from '../../cli/run';
import { cancelRun } from '../../cli/commands/cancel';
import { pauseUpdate, resumeUpdate, statusQuery } from '../../workflows/messages';
import type { RunState } from '../../workflows/run-state';
import { paths } from '../../stack/tools';

const stack = useStack();
const client = clientRunner(() => stack.config, path.join(paths.var, 'test', 'pause-cancel'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(handle: WorkflowHandle, what: string, ok: (s: RunState) => boolean, timeoutMs = 30_000): Promise<RunState> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await handle.query(statusQuery).catch(() => undefined);
    if (s && ok(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function scheduledActivities(handle: WorkflowHandle): Promise<string[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name!);
}

describe('pause and resume', () => {
  it('pauses between stages: the running stage finishes, the next starts only after resume', async () => {
    const plan = compileYaml(`
name: pausable
stages:
  first: { uses: core.sleep, with: { ms: 10000 }, timeout: { heartbeat: 2s } }
  second: { uses: core.echo, needs: first, with: { message: two } }
  third: { uses: core.echo, needs: second, with: { message: three } }
`);
    const handle = await startRun(stack.client, stack.config, plan);
    await until(handle, 'first to run', (s) => s.stages.first.status === 'running');
    const paused = await client('pause', handle.workflowId, '--reason', 'exchange maintenance');
    expect(paused.stderr).toBe('');
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(new RegExp(`^paused ${handle.workflowId} \\(exchange maintenance\\); still running: first`));
    await until(handle, 'first to finish', (s) => s.stages.first.status === 'succeeded');
    await sleep(1500);
    const held = await handle.query(statusQuery);
    expect(held.stages.second.status).toBe('pending');
    expect(held.paused).toMatchObject({ reason: 'exchange maintenance' });
    expect(await scheduledActivities(handle)).toEqual(['core.sleep']);
    const status = await client('status', handle.workflowId);
    expect(status.stdout).toMatch(/PAUSED since .* \(exchange maintenance\)/);

    const resumed = await client('resume', handle.workflowId);
    expect(resumed.stdout).toMatch(new RegExp(`^resumed ${handle.workflowId}`));
    const state = (await handle.result()) as RunState;
    expect(state.status).toBe('succeeded');
    expect(state.paused).toBeUndefined();
    expect(state.stages.third.outputs).toEqual({ message: 'three' });
  }, 90_000);

  it('pauses a fan-out between items, and survives continue-as-new while paused', async () => {
    const plan = compileYaml(`
name: pausable-fanout
stages:
  each: { uses: core.sleep, forEach: "\${{ range(12) }}", concurrency: 2, with: { ms: 200 }, timeout: { heartbeat: 2s } }
  after: { uses: core.echo, needs: each, with: { value: "\${{ length(stages.each.outputs) }}" } }
`);
    const handle = await startRun(stack.client, stack.config, plan, { maxHistoryEvents: 40 });
    await until(handle, 'some items done', (s) => (s.stages.each.items?.done ?? 0) >= 2);
    await handle.executeUpdate(pauseUpdate, { args: [null] });
    await sleep(800); // the two items in flight finish
    const a = await handle.query(statusQuery);
    await sleep(1500);
    const b = await handle.query(statusQuery);
    expect(b.stages.each.items!.done).toBe(a.stages.each.items!.done);
    expect(b.stages.each.items!.done).toBeLessThan(12);
    await handle.executeUpdate(resumeUpdate);
    const state = (await handle.result()) as RunState;
    expect(state.stages.after.outputs).toEqual({ value: 12 });
  }, 90_000);

  it('refuses to pause a finished run, saying why', async () => {
    const plan = compileYaml('name: quick\nstages:\n  a: { uses: core.echo }\n');
    const handle = await startRun(stack.client, stack.config, plan);
    await handle.result();
    const r = await client('pause', handle.workflowId);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${handle.workflowId} is completed: nothing to pause`);
  }, 60_000);
});

describe('cancel', () => {
  // checkSignal false: heartbeats but never looks at its cancel signal (like a long computation
  // that only reports progress); the adapter's heartbeat throws after a cancel, so it stops too.
  for (const checkSignal of [true, false]) {
    it(`stops a running activity within one heartbeat interval (checkSignal: ${checkSignal}); the run ends cancelled`, async () => {
      const plan = compileYaml(`
name: cancellable
stages:
  long: { uses: core.sleep, with: { ms: 120000, checkSignal: ${checkSignal} }, timeout: { heartbeat: 2s, startToClose: 5m } }
`);
      const handle = await startRun(stack.client, stack.config, plan);
      await until(handle, 'long to run', (s) => s.stages.long.status === 'running');
      await sleep(500);
      const worker = stack.worker.worker;
      expect(worker.getStatus().numInFlightNonLocalActivities).toBe(1);
      const t0 = Date.now();
      const r = await client('cancel', handle.workflowId, '--json');
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ workflowId: handle.workflowId, status: 'CANCELLED', cancelled: ['long'], ranAfter: [] });
      // The activity itself stops (the worker's slot frees) at its next heartbeat, every 0.8 × 2 s;
      // a loaded machine may need one more interval. The client's own start-up is in t0..now too.
      while (worker.getStatus().numInFlightNonLocalActivities > 0 && Date.now() - t0 < 30_000) await sleep(50);
      const stoppedAt = Date.now();
      expect(worker.getStatus().numInFlightNonLocalActivities).toBe(0);
      // The run closed when the cancel arrived; the activity stopped within a heartbeat interval of it.
      const closedAt = (await handle.describe()).closeTime!.getTime();
      expect(stoppedAt - closedAt).toBeLessThan(2 * 2000 + 1000);
      const err = await handle.result().then(() => undefined, (e) => e);
      expect((err as WorkflowFailedError).cause?.name).toBe('CancelledFailure');
      expect((await handle.query(statusQuery)).stages.long.status).toBe('cancelled');
    }, 60_000);
  }

  it('refuses to cancel a finished run', async () => {
    const handle = await startRun(stack.client, stack.config, compileYaml('name: done\nstages:\n  a: { uses: core.echo }\n'));
    await handle.result();
    await expect(cancelRun(stack.client, handle.workflowId, true, 1000)).rejects.toThrow(/is completed: nothing to cancel/);
  }, 60_000);
});
