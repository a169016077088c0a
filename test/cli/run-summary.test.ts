// The end of `client run` and `client status`: a run whose gate failed or that published nothing
// must not look like a plain success. A small train → evaluate → publish pipeline on a synthetic
// dataset runs three times through the real client, worker and Temporal dev server.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { clientInProcess } from '../support/client-in-process';
import { writeDataset } from '../../activities/features/dataset';
import { signalDataset } from '../training/support/synthetic-dataset';
import { paths } from '../../stack/tools';
import { writeFileSync, mkdirSync } from 'node:fs';

const stack = useStack();
const dir = path.join(paths.var, 'test', `summary-${process.pid}`);
const client = clientInProcess(() => stack.config);
let pipelineFile: string;

beforeAll(async () => {
  const { file } = await writeDataset(stack.config.dataDir, signalDataset(600, 3));
  mkdirSync(dir, { recursive: true });
  pipelineFile = path.join(dir, 'gated.yaml');
  writeFileSync(pipelineFile, `name: gated
params:
  minR2: { type: number, default: -1 }
  publish: { type: boolean, default: true }
stages:
  train:
    uses: training.train
    with:
      datasetFile: ${file}
      name: gated-model
      models: [gbdt]
      gbdt: { n_estimators: 20, max_depth: 3, eta: 0.2 }
      cv: { folds: 3 }
  evaluate:
    uses: training.evaluate
    needs: train
    with: { runDir: "\${{ stages.train.outputs.runDir }}", gate: { metric: r2, mustBeatBaseline: none, minR2: "\${{ params.minR2 }}" } }
  publish:
    uses: models.publish
    needs: evaluate
    when: "\${{ params.publish }}"
    with: { runDir: "\${{ stages.train.outputs.runDir }}", name: gated-model }
`);
});

const idOf = (stdout: string) => /started (\S+)/.exec(stdout)![1];

describe('run and status summaries', () => {
  it('a published run: samples, gate, version, report and model paths, Web UI link; exit 0', async () => {
    const r = await client('run', pipelineFile);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^outcome: published/m);
    expect(r.stdout).toMatch(/gate {5}evaluate: passed \(gbdt\)/);
    expect(r.stdout).toMatch(/publish {2}publish: v0001 published, latest/);
    const report = /report {3}(\S+)/.exec(r.stdout)![1];
    expect(report).toBe(path.join(stack.config.dataDir, 'models/gated-model/v0001/report/report.html'));
    expect(existsSync(report)).toBe(true);
    expect(r.stdout).toMatch(/model {4}\S+\/models\/gated-model\/v0001\/models$/m);
    expect(r.stdout).toMatch(new RegExp(`Web UI {3}http://localhost:\\d+/namespaces/default/workflows/${idOf(r.stdout)}`));
    expect(r.stdout).toMatch(/run succeeded/);
  });

  it('a failed gate says so and exits 3, in run and in status', async () => {
    const r = await client('run', pipelineFile, '--param', 'minR2=0.99');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^outcome: gate-failed — COMPLETED, BUT THE GATE FAILED/m);
    expect(r.stdout).toMatch(/gate {5}evaluate: FAILED \(gbdt\) — .*R²/);
    expect(r.stdout).toMatch(/publish {2}publish: v0002 kept but NOT published \(latest stays v0001\)/);
    expect(r.stdout).not.toMatch(/run succeeded/);

    const s = await client('status', idOf(r.stdout));
    expect(s.code, s.stderr).toBe(3);
    expect(s.stdout).toMatch(/COMPLETED/);
    expect(s.stdout).toMatch(/^outcome: gate-failed/m);
    const json = JSON.parse((await client('status', idOf(r.stdout), '--json')).stdout);
    const listed = JSON.parse((await client('runs', '--pipeline', 'gated', '--status', 'gate-failed', '--json')).stdout);
    expect(listed).toEqual([expect.objectContaining({ workflowId: idOf(r.stdout), status: 'completed', outcome: 'gate-failed', gate: 'FAILED', published: 'v0002 (not published)' })]);
    expect(json.summary).toMatchObject({ outcome: 'gate-failed', gates: [{ stage: 'evaluate', passed: false }], published: [{ version: 'v0002', published: false, latest: 'v0001' }] });
  });

  it('a run that skipped its publish stage: nothing-published, exit 3', async () => {
    const r = await client('run', pipelineFile, '--param', 'publish=false', '--json');
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: 'COMPLETED', outcome: 'nothing-published', summary: { gates: [{ passed: true }], published: [] } });
    expect(out.summary.reports[0]).toMatch(/models\/gated-model\/staging\/[^/]+\/report\/report\.html$/);
  });
});
