// summarizeRun is pure: the plan says which stage runs which activity, the state what each made.
import { describe, expect, it } from 'vitest';
import { summarizeRun } from '../../cli/run-summary';
import type { RunState, StageState } from '../../workflows/run-state';

const stage = (id: string, uses: string, needs: string[] = []) => ({ id, uses, needs }) as never;
const plan = {
  stages: [
    stage('features', 'features.build'),
    stage('train', 'training.train', ['features']),
    stage('evaluate', 'training.evaluate', ['train']),
    stage('publish', 'models.publish', ['evaluate']),
    stage('otherTrain', 'training.train', ['features']),
  ],
};
const run = (stages: Record<string, StageState>): RunState => ({ pipeline: 'p', planHash: 'h', logicalDate: 'd', status: 'succeeded', stages, continuedAsNew: 0 });
const ok = (outputs: unknown): StageState => ({ status: 'succeeded', outputs });

describe('summarizeRun', () => {
  const base = {
    features: ok({ rows: 90, validity: { in: 100, out: 90 } }),
    train: ok({ runDir: '/d/models/m/staging/r1' }),
    otherTrain: ok({ runDir: '/d/models/o/staging/r2' }),
    evaluate: ok({ passed: true, model: 'gbdt', reason: 'ok' }),
  };

  it('published: samples, the moved report of the published run, the staging one of the other', () => {
    const s = summarizeRun(plan, run({ ...base, publish: ok({ version: 'v0003', published: true, latest: 'v0003', versionDir: '/d/models/m/v0003', reason: 'gate passed' }) }), 'COMPLETED');
    expect(s.outcome).toBe('published');
    expect(s.samples).toEqual([{ stage: 'features', in: 100, out: 90 }]);
    expect(s.reports).toEqual(['/d/models/m/v0003/report/report.html', '/d/models/o/staging/r2/report/report.html']);
    expect(s.models).toEqual(['/d/models/m/v0003', '/d/models/o/staging/r2']);
  });

  it('gate-failed, nothing-published, succeeded, failed, cancelled, running', () => {
    const failedGate = { ...base, evaluate: ok({ passed: false, model: 'gbdt', reason: 'r2 too low' }) };
    expect(summarizeRun(plan, run({ ...failedGate, publish: ok({ version: 'v1', published: false, latest: null, versionDir: '/x', reason: '' }) }), 'COMPLETED').outcome).toBe('gate-failed');
    expect(summarizeRun(plan, run({ ...failedGate, publish: { status: 'skipped' } }), 'COMPLETED').outcome).toBe('gate-failed');
    expect(summarizeRun(plan, run({ ...base, publish: { status: 'skipped' } }), 'COMPLETED').outcome).toBe('nothing-published');
    expect(summarizeRun({ stages: [stage('a', 'core.echo')] }, run({ a: ok({}) }), 'COMPLETED').outcome).toBe('succeeded');
    expect(summarizeRun(plan, run(base), 'FAILED').outcome).toBe('failed');
    expect(summarizeRun(plan, undefined, 'TIMED_OUT').outcome).toBe('failed');
    expect(summarizeRun(plan, run(base), 'TERMINATED').outcome).toBe('cancelled');
    expect(summarizeRun(plan, run(base), 'RUNNING').outcome).toBe('running');
  });

  it('sums the samples of a fan-out features stage', () => {
    const s = summarizeRun(plan, run({ features: ok([{ validity: { in: 10, out: 7 } }, { validity: { in: 5, out: 5 } }]) }), 'RUNNING');
    expect(s.samples).toEqual([{ stage: 'features', in: 15, out: 12 }]);
  });
});
