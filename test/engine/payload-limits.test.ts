// Temporal's hard limits that a large plan can reach: 2,000 pending activities per run and 2 MiB
// per payload. Each used to leave the run stuck, its workflow task refused and retried forever,
// or retried an activity whose result could never be accepted.
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { failureOf } from '../support/failure';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import type { RunState } from '../../workflows/run-state';
import { MAX_ACTIVITIES_IN_FLIGHT } from '../../workflows/activity-slots';

const stack = useStack();

/** 20 symbols of one-day chunks from 2019-01-01: about 117 bytes of output per chunk. */
const planYaml = (name: string, to: string, extra = '') => `
name: ${name}
stages:
  plan:
    uses: binance.planBackfill
    with: { symbols: [${Array.from({ length: 20 }, (_, i) => `S${i}USDT`).join(', ')}], interval: 1m, from: "2019-01-01", to: "${to}", barsPerChunk: 1440 }
${extra}`;

describe('Temporal limits', () => {
  it('a fan-out of 2,120 items without concurrency keeps at most 500 activities scheduled, and completes', async () => {
    // 20 symbols × 106 days of one-day chunks: 2,120 items.
    const plan = compileYaml(
      planYaml(
        'wide-fanout',
        '2019-04-16',
        `  each:
    uses: core.noop
    needs: plan
    forEach: "\${{ stages.plan.outputs.chunks }}"
    with: { index: "\${{ index }}" }
`,
      ),
    );
    const handle = await startRun(stack.client, stack.config, plan, { params: {} });
    const state = (await handle.result()) as RunState;
    expect(state.status).toBe('succeeded');
    const chunks = (state.stages.plan.outputs as { count: number }).count;
    expect(chunks).toBeGreaterThan(2000);
    expect((state.stages.each.outputs as unknown[]).length).toBe(chunks);
    // In flight = scheduled and not yet closed, walked over the history of every run of the chain.
    let most = 0;
    for await (const wf of stack.client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` })) {
      let inFlight = 0;
      for (const e of (await stack.client.workflow.getHandle(handle.workflowId, wf.runId).fetchHistory()).events ?? []) {
        if (e.activityTaskScheduledEventAttributes) most = Math.max(most, ++inFlight);
        if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) inFlight--;
      }
    }
    expect(most).toBe(MAX_ACTIVITIES_IN_FLIGHT);
  }, 240_000);

  it('an activity result over 2 MiB fails its stage on the first attempt, saying why', async () => {
    // About 29,000 chunks: 3.3 MiB of output.
    const handle = await startRun(stack.client, stack.config, compileYaml(planYaml('huge-output', '2023-01-01')), { params: {} });
    const err = await failureOf(handle.result());
    expect(err.cause?.message).toMatch(/^stage 'plan' failed: OutputTooLarge: its output is 3\.\d\d MiB of JSON, over the 1\.90 MiB an activity result may have \(Temporal refuses one past 2\.00 MiB\): a stage passes references/);
    const attempts = (await handle.fetchHistory()).events!.filter((e) => e.activityTaskStartedEventAttributes).length;
    expect(attempts).toBe(1);
  }, 120_000);

  it('a run whose state grew past what continue-as-new can carry fails, naming the stage that holds it', async () => {
    // About 16,000 chunks: 1.8 MiB of output, under the activity limit, and too much to carry
    // once the fan-out's results are added.
    const plan = compileYaml(
      planYaml(
        'huge-state',
        '2021-03-20',
        `  each:
    uses: core.noop
    needs: plan
    forEach: "\${{ stages.plan.outputs.chunks }}"
    concurrency: 50
    with: { index: "\${{ index }}" }
`,
      ),
    );
    const handle = await startRun(stack.client, stack.config, plan, { params: {}, maxHistoryEvents: 300 });
    const err = await failureOf(handle.result());
    expect(err.cause?.message).toMatch(/^the run cannot continue as new: its state is \d\.\d\d MiB of JSON, over the 1\.90 MiB a run may carry \(Temporal refuses a workflow input past 2\.00 MiB\); largest: stage 'plan' 1\.\d\d MiB, stage 'each' 0\.\d\d MiB\. Split the run/);
    expect((err.cause as { type?: string }).type).toBe('RunStateTooLarge');
  }, 120_000);
});

/** Runs one stage per id in parallel and returns each PipelineStage value the run upserted. */
async function shownValues(ids: string[], stage = 'uses: core.sleep, with: { ms: 1500 }, timeout: { heartbeat: 5s }'): Promise<(string | null)[]> {
  const plan = compileYaml(`name: many-parallel\nstages:\n${ids.map((id) => `  ${id}: { ${stage} }`).join('\n')}\n`);
  const handle = await startRun(stack.client, stack.config, plan, { params: {} });
  const state = (await handle.result()) as RunState;
  expect(state.status).toBe('succeeded');
  const shown = (await handle.fetchHistory()).events!
    .map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.PipelineStage?.data)
    .filter((d): d is Uint8Array => !!d);
  for (const d of shown) expect(d.length).toBeLessThanOrEqual(2048);
  return shown.map((d) => JSON.parse(Buffer.from(d).toString('utf8')) as string | null);
}

describe('the PipelineStage search attribute', () => {
  it('a run with 120 stages in flight lists as many as fit in 2,048 bytes and counts the rest', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `a_stage_with_a_rather_long_name_${String(i).padStart(3, '0')}`);
    const first = (await shownValues(ids)).find((v) => v !== null)!;
    expect(first).toMatch(/^a_stage_with_a_rather_long_name_000,a_stage_with_a_rather_long_name_001,.*,… \d+ more$/);
    const listed = first.split(',').length - 1;
    expect(first.endsWith(`… ${120 - listed} more`)).toBe(true);
  }, 120_000);

  it('counts the quotes of the value\'s JSON, which Temporal measures (529 stages s0..s528)', async () => {
    // Listed by their own bytes only, these names made a 2,047-byte value: 2,049 with its quotes,
    // and the server failed the run (BadSearchAttributes).
    const ids = Array.from({ length: 529 }, (_, i) => `s${i}`);
    const first = (await shownValues(ids, 'uses: core.noop, with: { index: 1 }')).find((v) => v !== null)!;
    expect(first).toMatch(/^s0,s1,s2,.*,… \d+ more$/);
    expect(Buffer.byteLength(JSON.stringify(first))).toBeLessThanOrEqual(2048);
  }, 120_000);
});
