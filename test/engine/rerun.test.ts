// client rerun: a failed run again with the current YAML, the stages before the failure (or
// --from-stage) not run again but their outputs reused. Real dev server and worker.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { clientInProcess } from '../support/client-in-process';
import { compileYaml } from '../support/pipelines';
import { paths } from '../../stack/tools';
import { planRerun } from '../../cli/rerun';
import type { RunState } from '../../workflows/run-state';

const stack = useStack();
const client = clientInProcess(() => stack.config);
const dir = path.join(paths.var, 'test', `rerun-${randomUUID().slice(0, 8)}`);
const file = path.join(dir, 'rerun-me.yaml');

const yaml = (train: string, backfillMs = 1500) => `name: rerun-me
params:
  marker: { type: string, default: one }
stages:
  backfill: { uses: core.sleep, with: { ms: ${backfillMs} }, timeout: { heartbeat: 2s } }
  prepare: { uses: core.echo, needs: backfill, with: { message: "\${{ params.marker }}" } }
  train: ${train}
  report: { uses: core.echo, needs: train, with: { value: "\${{ stages.train.status }}" } }
`;
const broken = '{ uses: core.fail, needs: prepare, with: { message: bad config }, retry: { maxAttempts: 1 } }';
const fixed = '{ uses: core.echo, needs: prepare, with: { message: "fixed ${{ stages.prepare.outputs.message }}" } }';

async function scheduled(workflowId: string): Promise<string[]> {
  const events = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  return events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name!);
}
const startedId = (out: string) => /started (\S+?):? /.exec(out)?.[1] ?? /started (\S+)/.exec(out)![1];

describe('client rerun', () => {
  it('applies a YAML fix to a failed run without running the stages before the failure again', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, yaml(broken));
    const first = await client('run', file, '--json');
    expect(first.code, first.stderr).toBe(1);
    const failed = JSON.parse(first.stdout) as { workflowId: string; state: RunState };
    expect(failed.state.stages.train.status).toBe('failed');

    writeFileSync(file, yaml(fixed));
    const r = await client('rerun', failed.workflowId);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`a rerun of ${failed.workflowId} from stage 'train'`));
    expect(r.stdout).toMatch(/reused: backfill, prepare/);
    expect(r.stdout).toMatch(/runs: +train — the stage to run again/);
    expect(r.stdout).toMatch(/runs: +report — downstream of 'train'/);
    const id = startedId(r.stdout);
    const state = (await stack.client.workflow.getHandle(id).result()) as RunState;
    expect(state.stages.train.outputs).toMatchObject({ message: 'fixed one' });
    expect(state.stages.report.outputs).toMatchObject({ value: 'succeeded' });
    expect(state.stages.backfill.reused).toMatchObject({ from: 'rerun', workflowId: failed.workflowId });
    expect(state.stages.prepare.outputs).toEqual(failed.state.stages.prepare.outputs);
    expect(state.logicalDate).toBe(failed.state.logicalDate);
    // The hour of backfill did not run again: only the fixed stage and its dependant.
    expect(await scheduled(id)).toEqual(['core.echo', 'core.echo']);

    // From an earlier stage, with a param changed: prepare and what follows run, backfill is reused.
    const again = await client('rerun', id, '--from-stage', 'prepare', '--param', 'marker=two', '--json');
    expect(again.code, again.stderr).toBe(0);
    const out = JSON.parse(again.stdout);
    expect(out).toMatchObject({ rerunOf: id, fromStage: 'prepare', reused: ['backfill'] });
    expect(out.state.stages.train.outputs).toMatchObject({ message: 'fixed two' });
    expect(out.state.stages.backfill.reused.workflowId).toBe(failed.workflowId); // reused twice over: still the run that made it
  }, 120_000);

  it('runs a stage again when its definition changed, and refuses an unknown stage', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, yaml(broken));
    const first = JSON.parse((await client('run', file, '--json')).stdout) as { workflowId: string };
    writeFileSync(file, yaml(fixed, 200));
    const r = await client('rerun', first.workflowId, '--json');
    const out = JSON.parse(r.stdout);
    expect(out.reused).toEqual([]);
    expect(out.rerun[0]).toEqual({ stage: 'backfill', why: 'its definition changed in the YAML' });
    expect(out.rerun[1]).toEqual({ stage: 'prepare', why: "it needs 'backfill', which runs again" });
    const bad = await client('rerun', first.workflowId, '--from-stage', 'trainn');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/the pipeline has no stage 'trainn'. Did you mean 'train'\?/);
    const far = await client('rerun', first.workflowId, '--from-stage', 'fit');
    expect(far.stderr).toMatch(/the pipeline has no stage 'fit' \(stages: backfill, prepare, train, report\)/);
  }, 120_000);
});

describe('planRerun (pure)', () => {
  const plan = compileYaml(yaml(fixed));
  const ok = (ids: string[]): Pick<RunState, 'stages'> => ({
    stages: Object.fromEntries(plan.stages.map((s) => [s.id, ids.includes(s.id) ? { status: 'succeeded' as const, outputs: { id: s.id } } : { status: 'failed' as const }])),
  });

  it('refuses when every stage succeeded and no stage is named', () => {
    expect(() => planRerun(plan, ok(['backfill', 'prepare', 'train', 'report']), plan, { workflowId: 'w' })).toThrow(/every stage of w succeeded: nothing to rerun/);
  });

  it('does not reuse a stage that did not succeed, nor anything after it', () => {
    const r = planRerun(plan, ok(['backfill']), plan, { workflowId: 'w' }, 'train');
    expect(Object.keys(r.reuse)).toEqual(['backfill']);
    expect(r.rerun.map((x) => x.stage)).toEqual(['prepare', 'train', 'report']);
    expect(r.rerun[0].why).toBe('it failed in w');
  });
});
