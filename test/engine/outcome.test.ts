// A run that completed is not necessarily a success: the PipelineOutcome search attribute, the
// memo and the run's summary say whether it published a model, whether a gate failed, how many
// samples went in and out, and where the report and models are. Real Temporal, worker and Redis;
// real training on a small dataset file.
import { existsSync } from 'node:fs';
import { describe, expect, it, beforeAll } from 'vitest';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { useStack } from '../support/stack';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { statusQuery } from '../../workflows/messages';
import type { RunState } from '../../workflows/run-state';
import type { Plan } from '../../dsl/plan';
import { summarizeRun, type RunSummary } from '../../workflows/run-summary';
import { writeDataset } from '../../activities/features/dataset';
import { signalDataset } from '../training/support/synthetic-dataset';

const stack = useStack();
let datasetFile: string;

beforeAll(async () => {
  datasetFile = (await writeDataset(stack.config.dataDir, signalDataset(1500))).file;
});

async function runToEnd(plan: Plan, params: Record<string, unknown> = {}): Promise<{ workflowId: string; state: RunState }> {
  const handle = await startRun(stack.client, stack.config, plan, { params });
  try {
    return { workflowId: handle.workflowId, state: (await handle.result()) as RunState };
  } catch (err) {
    const details = err instanceof WorkflowFailedError ? (err.cause as { details?: unknown[] }).details : undefined;
    return { workflowId: handle.workflowId, state: (details?.[0] as { state: RunState }).state };
  }
}

async function findByOutcome(client: Client, pipeline: string, outcome: string): Promise<string[]> {
  for (let i = 0; i < 50; i++) {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query: `Pipeline = "${pipeline}" AND PipelineOutcome = "${outcome}"` })) ids.push(wf.workflowId);
    if (ids.length) return ids;
    await new Promise((r) => setTimeout(r, 200));
  }
  return [];
}

const trainingYaml = (name: string) => `
name: ${name}
params:
  dataset: { type: string }
  margin: { type: number, default: 0.01 }
  publish: { type: boolean, default: true }
stages:
  train:
    uses: training.train
    with:
      datasetFile: "\${{ params.dataset }}"
      name: ${name}
      models: [gbdt]
      gbdt: { n_estimators: 30, max_depth: 3, eta: 0.1, early_stopping_rounds: 10 }
      cv: { folds: 3 }
  evaluate:
    uses: training.evaluate
    needs: train
    with: { runDir: "\${{ stages.train.outputs.runDir }}", gate: { metric: mae, mustBeatBaseline: mean, byMargin: "\${{ params.margin }}" } }
  publish:
    uses: models.publish
    needs: evaluate
    when: "\${{ params.publish }}"
    with: { runDir: "\${{ stages.train.outputs.runDir }}", name: ${name} }
`;

describe('run outcome', () => {
  it('says published, with the version, the gate, the report and the model folder', async () => {
    const name = `outcome-pub-${Date.now()}`;
    const { workflowId, state } = await runToEnd(compileYaml(trainingYaml(name)), { dataset: datasetFile });
    expect(state.status).toBe('succeeded');
    const s = state.summary!;
    expect(s.outcome).toBe('published');
    expect(s.gates).toEqual([expect.objectContaining({ stage: 'evaluate', passed: true })]);
    expect(s.published).toEqual([expect.objectContaining({ stage: 'publish', version: 'v0001', published: true, latest: 'v0001' })]);
    expect(s.headline).toMatch(/^published v0001/);
    // Paths that exist: the run moved from staging into its version folder.
    expect(s.reports).toHaveLength(1);
    expect(s.reports[0]).toMatch(/\/v0001\/report\/report\.html$/);
    expect(existsSync(s.reports[0])).toBe(true);
    expect(s.models.every((m) => existsSync(m))).toBe(true);
    expect(await findByOutcome(stack.client, name, 'published')).toEqual([workflowId]);
    const desc = await stack.client.workflow.getHandle(workflowId).describe();
    expect(desc.memo).toMatchObject({ outcome: 'published', summary: { outcome: 'published', headline: s.headline } });
  }, 120_000);

  it('says gate-failed when the gate fails, though every stage succeeded', async () => {
    const name = `outcome-gate-${Date.now()}`;
    // No model beats the mean baseline's MAE by 90%.
    const { workflowId, state } = await runToEnd(compileYaml(trainingYaml(name)), { dataset: datasetFile, margin: 0.9 });
    expect(Object.values(state.stages).every((st) => st.status === 'succeeded')).toBe(true);
    expect(state.summary!.outcome).toBe('gate-failed');
    expect(state.summary!.gates[0]).toMatchObject({ stage: 'evaluate', passed: false });
    expect(state.summary!.published[0]).toMatchObject({ published: false, latest: null });
    expect(state.summary!.headline).toMatch(/^gate failed at evaluate/);
    expect(await findByOutcome(stack.client, name, 'gate-failed')).toEqual([workflowId]);
    expect(await findByOutcome(stack.client, name, 'published')).toEqual([]);
  }, 120_000);

  it('says nothing-published when the publish stage is skipped, and why', async () => {
    const name = `outcome-none-${Date.now()}`;
    const { workflowId, state } = await runToEnd(compileYaml(trainingYaml(name)), { dataset: datasetFile, publish: false });
    expect(state.summary!.outcome).toBe('nothing-published');
    expect(state.summary!.headline).toMatch(/stage 'publish' skipped — condition was false/);
    // Not versioned: the report is the staging run's.
    expect(state.summary!.reports[0]).toMatch(/\/staging\/[^/]+\/report\/report\.html$/);
    expect(existsSync(state.summary!.reports[0])).toBe(true);
    expect(await findByOutcome(stack.client, name, 'nothing-published')).toEqual([workflowId]);
  }, 120_000);

  it('says succeeded for a pipeline that publishes nothing by design, failed and cancelled otherwise', async () => {
    const name = `outcome-core-${Date.now()}`;
    const plan = compileYaml(`
name: ${name}
params:
  fail: { type: boolean, default: false }
  ms: { type: integer, default: 10 }
stages:
  a: { uses: core.sleep, with: { ms: "\${{ params.ms }}" }, timeout: { heartbeat: 2s } }
  b: { uses: core.fail, needs: a, when: "\${{ params.fail }}", with: { message: broken }, retry: { maxAttempts: 1 } }
`);
    const ok = await runToEnd(plan);
    expect(ok.state.summary).toMatchObject({ outcome: 'succeeded' });
    const bad = await runToEnd(plan, { fail: true });
    expect(bad.state.summary).toMatchObject({ outcome: 'failed', failedStage: 'b' });
    expect(bad.state.summary!.headline).toMatch(/stage 'b' failed: .*broken/);

    const handle = await startRun(stack.client, stack.config, plan, { params: { ms: 60_000 } });
    // While it runs, the status query computes the summary so far; the search attribute is unset.
    let live: RunState | undefined;
    for (let i = 0; i < 50 && live?.stages.a.status !== 'running'; i++) {
      live = await handle.query(statusQuery).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(live!.summary).toMatchObject({ outcome: 'succeeded' });
    await handle.cancel();
    await handle.result().catch(() => undefined);
    expect((await handle.describe()).memo).toMatchObject({ outcome: 'cancelled' });

    expect(await findByOutcome(stack.client, name, 'succeeded')).toEqual([ok.workflowId]);
    expect(await findByOutcome(stack.client, name, 'failed')).toEqual([bad.workflowId]);
    expect(await findByOutcome(stack.client, name, 'cancelled')).toEqual([handle.workflowId]);
  }, 120_000);
});

describe('summarizeRun (pure)', () => {
  const plan = compileYaml(`
name: s
stages:
  labels: { uses: labels.build, with: { symbols: [BTCUSDT], interval: 1m, from: 2023-04-01, to: 2023-04-02, kind: forward, horizon: 5 } }
  features: { uses: features.build, needs: labels, with: { samplesFile: x, interval: 1m, features: { rsi: { period: 14 } } } }
  t1: { uses: training.train, needs: features, with: { datasetFile: d, name: m } }
  t2: { uses: training.train, needs: features, with: { datasetFile: d, name: m2 } }
  e1: { uses: training.evaluate, needs: t1, with: { runDir: r, gate: { metric: mae } } }
  e2: { uses: training.evaluate, needs: t2, with: { runDir: r, gate: { metric: mae } } }
  p1: { uses: models.publish, needs: e1, with: { runDir: r, name: m } }
`);
  const state = (outputs: Record<string, unknown>): Pick<RunState, 'status' | 'stages'> => ({
    status: 'succeeded',
    stages: Object.fromEntries(plan.stages.map((s) => [s.id, { status: 'succeeded', outputs: outputs[s.id] }])),
  });
  const base = {
    labels: { count: 900 },
    features: { rows: 880, validity: { in: 900, out: 880 } },
    t1: { runDir: '/d/models/m/staging/run-1' },
    t2: { runDir: '/d/models/m2/staging/run-2' },
    e1: { passed: true, reason: 'beats mean', model: 'gbdt' },
    e2: { passed: false, reason: 'does not beat mean', model: 'gbdt' },
    p1: { version: 'v0007', versionDir: '/d/models/m/v0007', published: true, latest: 'v0007', runId: 'run-1', reason: 'gate passed' },
  };

  it('reports a publish next to a failed gate elsewhere, and the samples in and out', () => {
    const s: RunSummary = summarizeRun(plan, state(base));
    expect(s.outcome).toBe('published');
    expect(s.headline).toBe('published v0007; gate failed at e2 — 900 samples in, 880 out (features)');
    expect(s.samples).toEqual([{ stage: 'labels', out: 900 }, { stage: 'features', in: 900, out: 880 }]);
    // The published run's files are in its version folder; the other run stays in staging.
    expect(s.reports).toEqual(['/d/models/m/v0007/report/report.html', '/d/models/m2/staging/run-2/report/report.html']);
    expect(s.models).toEqual(['/d/models/m/v0007/models', '/d/models/m2/staging/run-2/models']);
  });

  it('is gate-failed when the only publish kept latest, failed when the run failed', () => {
    const kept = summarizeRun(plan, state({ ...base, e1: { ...base.e1, passed: false }, p1: { ...base.p1, published: false, latest: 'v0003' } }));
    expect(kept.outcome).toBe('gate-failed');
    expect(kept.headline).toMatch(/latest still v0003/);
    const failed = summarizeRun(plan, { ...state(base), status: 'failed', error: "stage 'p1' failed: disk full" });
    expect(failed).toMatchObject({ outcome: 'failed', error: "stage 'p1' failed: disk full" });
  });
});
