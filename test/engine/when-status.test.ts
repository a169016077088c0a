// `when: always()` and the other status functions: stages that must run after a failure or a
// cancel (notify, clean up). The DSL part is pure; the runs are on the real dev server and worker.
import { describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { useStack } from '../support/stack';
import { compileYaml } from '../support/pipelines';
import { compilePipeline, formatError } from '../../dsl';
import { catalog } from '../../activities/catalog';
import { startRun } from '../../cli/run';
import { statusQuery } from '../../workflows/messages';
import type { RunState } from '../../workflows/run-state';

const stack = useStack();

async function failedState(p: Promise<unknown>): Promise<{ message: string; state: RunState }> {
  const err = await p.then(() => undefined, (e) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause as Error & { details?: unknown[] };
  return { message: cause.message, state: (cause.details![0] as { state: RunState }).state };
}

describe('status functions in the DSL', () => {
  it('mark a stage whose when checks status, and only such a stage', () => {
    const plan = compileYaml(`
name: s
stages:
  a: { uses: core.echo }
  b: { uses: core.echo, needs: a, when: always() }
  c: { uses: core.echo, needs: a, when: "\${{ failure() || stages.a.status == 'skipped' }}" }
  d: { uses: core.echo, needs: a, when: "\${{ stages.a.outputs.message == 'x' }}" }
`);
    const by = (id: string) => plan.stages.find((s) => s.id === id)!;
    expect(by('b').whenChecksStatus).toBe(true);
    expect(by('c').whenChecksStatus).toBe(true);
    expect(by('d').whenChecksStatus).toBeUndefined();
    expect(by('a').whenChecksStatus).toBeUndefined();
  });

  it('are refused outside when, at their line and column', () => {
    const { errors } = compilePipeline(
      `name: s
stages:
  a: { uses: core.echo, with: { value: "\${{ failure() }}" } }
  b: { uses: core.echo, forEach: "\${{ always() && [1] }}", with: { value: 1 } }
`,
      { file: 's.yaml', catalog },
    );
    expect(errors.map(formatError)).toEqual([
      "s.yaml:3:45: failure() can only be used in 'when' (stage 'a')",
      "s.yaml:4:39: always() can only be used in 'when' (stage 'b')",
    ]);
  });
});

describe('stages that run after a failure', () => {
  it('run notify and clean-up stages after a failed stage; the run still fails, naming it', async () => {
    const plan = compileYaml(`
name: always-after-failure
stages:
  prepare: { uses: core.echo, with: { message: ready } }
  slow: { uses: core.sleep, needs: prepare, with: { ms: 60000 }, timeout: { heartbeat: 1s } }
  boom: { uses: core.fail, needs: prepare, with: { message: exchange down }, retry: { maxAttempts: 1 } }
  train: { uses: core.echo, needs: [boom, slow], with: { message: never } }
  notify:
    uses: core.echo
    needs: [train]
    when: always()
    with: { message: "boom \${{ stages.boom.status }}, train \${{ stages.train.status }}" }
  # Evaluated once its needs have finished: a failure() stage needs the stages it reports on.
  onFailure: { uses: core.echo, needs: [boom], when: failure(), with: { message: failed } }
  tooEarly: { uses: core.echo, needs: prepare, when: failure() }
  onSuccess: { uses: core.echo, needs: train, when: success(), with: { message: ok } }
  cleanup: { uses: core.echo, needs: notify, when: always(), with: { message: "notify \${{ stages.notify.status }}" } }
`);
    const handle = await startRun(stack.client, stack.config, plan);
    const { message, state } = await failedState(handle.result());
    expect(message).toMatch(/^stage 'boom' failed: .*exchange down/);
    const st = (id: string) => state.stages[id];
    expect(st('slow').status).toBe('cancelled');
    expect(st('train').status).toBe('cancelled');
    expect(st('notify')).toMatchObject({ status: 'succeeded', outputs: { message: 'boom failed, train cancelled' } });
    expect(st('onFailure')).toMatchObject({ status: 'succeeded', outputs: { message: 'failed' } });
    expect(st('tooEarly')).toMatchObject({ status: 'skipped', reason: 'condition was false' });
    expect(st('onSuccess')).toMatchObject({ status: 'skipped', reason: 'condition was false' });
    expect(st('cleanup')).toMatchObject({ status: 'succeeded', outputs: { message: 'notify succeeded' } });
    expect(state.summary).toMatchObject({ outcome: 'failed', failedStage: 'boom' });
  });

  it('on success: always() runs, failure() is skipped, success() runs', async () => {
    const plan = compileYaml(`
name: always-on-success
stages:
  a: { uses: core.echo, with: { message: a } }
  skippedOne: { uses: core.echo, needs: a, when: "\${{ false }}" }
  notify: { uses: core.echo, needs: skippedOne, when: always(), with: { message: "after \${{ stages.skippedOne.status }}" } }
  onFailure: { uses: core.echo, needs: a, when: failure() }
  onSuccess: { uses: core.echo, needs: a, when: success() }
`);
    const state = (await (await startRun(stack.client, stack.config, plan)).result()) as RunState;
    expect(state.status).toBe('succeeded');
    expect(state.stages.notify).toMatchObject({ status: 'succeeded', outputs: { message: 'after skipped' } });
    expect(state.stages.onFailure.status).toBe('skipped');
    expect(state.stages.onSuccess.status).toBe('succeeded');
  });

  it('run cancelled() and always() stages when the run is cancelled, then the run ends cancelled', async () => {
    const plan = compileYaml(`
name: always-after-cancel
stages:
  slow: { uses: core.sleep, with: { ms: 60000 }, timeout: { heartbeat: 1s } }
  after: { uses: core.echo, needs: slow }
  release: { uses: core.sleep, needs: slow, when: cancelled(), with: { ms: 300 } }
  onFailure: { uses: core.echo, needs: slow, when: failure() }
`);
    const handle = await startRun(stack.client, stack.config, plan);
    for (let i = 0; i < 100; i++) {
      const s = await handle.query(statusQuery).catch(() => undefined);
      if (s?.stages.slow.status === 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await handle.cancel();
    const err = await handle.result().then(() => undefined, (e) => e);
    expect((err as WorkflowFailedError).cause?.name).toBe('CancelledFailure');
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    const state = await handle.query(statusQuery);
    expect(state.stages.slow.status).toBe('cancelled');
    expect(state.stages.after.status).toBe('cancelled');
    expect(state.stages.release.status).toBe('succeeded');
    expect(state.stages.onFailure.status).toBe('skipped');
    const scheduled = (await handle.fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!.activityId);
    expect(scheduled).toHaveLength(2);
  });
});
