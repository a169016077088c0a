// The printed end of a run: the interpreter's summary when it wrote one, else one worked out from
// the plan and the last state (terminated, timed out, older runs). Pure.
import { describe, expect, it } from 'vitest';
import { closedRunSummary, outcomeExitCode, renderSummary } from '../../cli/run-summary';
import type { RunState, StageState } from '../../workflows/run-state';
import type { RunSummary } from '../../workflows/run-summary';

const stage = (id: string, uses: string, needs: string[] = []) => ({ id, uses, needs }) as never;
const plan = { stages: [stage('features', 'features.build'), stage('train', 'training.train', ['features']), stage('evaluate', 'training.evaluate', ['train']), stage('publish', 'models.publish', ['evaluate'])] };
const ok = (outputs: unknown): StageState => ({ status: 'succeeded', outputs });
const run = (stages: Record<string, StageState>, extra: Partial<RunState> = {}): RunState => ({ pipeline: 'p', planHash: 'h', logicalDate: 'd', status: 'succeeded', stages, continuedAsNew: 0, ...extra });
const stages = {
  features: ok({ rows: 90, validity: { in: 100, out: 90 } }),
  train: ok({ runDir: '/d/models/m/staging/r1' }),
  evaluate: ok({ passed: false, model: 'gbdt', reason: 'R² 0.01 < 0.99' }),
  publish: ok({ version: 'v0002', published: false, latest: 'v0001', versionDir: '/d/models/m/v0002', runId: 'r1', reason: 'gate failed' }),
};

describe('closedRunSummary', () => {
  it("uses the interpreter's own summary of a completed run", () => {
    const own = { outcome: 'published', headline: 'from the workflow', samples: [], gates: [], published: [], reports: [], models: [] } as RunSummary;
    expect(closedRunSummary(plan, run(stages, { summary: own }), 'COMPLETED')).toBe(own);
  });

  it('works one out from the plan when there is none, and for runs Temporal closed', () => {
    const s = closedRunSummary(plan, run(stages), 'COMPLETED')!;
    expect(s.outcome).toBe('gate-failed');
    expect(s.reports).toEqual(['/d/models/m/v0002/report/report.html']);
    const live = { outcome: 'published' } as RunSummary; // what the status query said before the kill
    expect(closedRunSummary(plan, run(stages, { status: 'running', summary: live }), 'TERMINATED')!.outcome).toBe('cancelled');
    const timedOut = closedRunSummary(plan, run(stages, { status: 'running' }), 'TIMED_OUT')!;
    expect(timedOut).toMatchObject({ outcome: 'failed', error: 'timed out' });
    expect(closedRunSummary(undefined, undefined, 'FAILED')).toMatchObject({ outcome: 'failed', gates: [] });
    expect(closedRunSummary(plan, run(stages), 'RUNNING')).toBeUndefined();
  });

  it('prints a failed gate and an unpublished version so that nobody reads it as success', () => {
    const text = renderSummary(closedRunSummary(plan, run(stages), 'COMPLETED')!, 'http://ui/x');
    expect(text).toMatch(/^outcome: gate-failed — COMPLETED, BUT THE GATE FAILED: nothing new is live$/m);
    expect(text).toMatch(/^ {2}samples {2}features: 100 in, 90 out \(90\.0% kept\)$/m);
    expect(text).toMatch(/^ {2}gate {5}evaluate: FAILED \(gbdt\) — R² 0\.01 < 0\.99$/m);
    expect(text).toMatch(/^ {2}publish {2}publish: v0002 kept but NOT published \(latest stays v0001\)$/m);
    expect(text).toMatch(/^ {2}Web UI {3}http:\/\/ui\/x$/m);
    expect([outcomeExitCode('published'), outcomeExitCode('succeeded'), outcomeExitCode('gate-failed'), outcomeExitCode('nothing-published'), outcomeExitCode('failed')]).toEqual([0, 0, 3, 3, 1]);
  });
});
