// `client runs`, `client outputs` and `client logs` against a real worker and Temporal dev server:
// what a user reaches for after a run, by pipeline, status and time; a stage's outputs; the
// activity log of a run with its stage (and fan-out item) on every line.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { clientInProcess } from '../support/client-in-process';
import { paths } from '../../stack/tools';

const stack = useStack();
const dir = path.join(paths.var, 'test', `listing-${randomUUID().slice(0, 8)}`);
const client = clientInProcess(() => stack.config);
const tag = randomUUID().slice(0, 6);
const good = `listing-${tag}`;
const bad = `broken-${tag}`;
let goodId: string;
let badId: string;

const trade = (i: number) =>
  JSON.stringify({ symbol: 'BTCUSDT', side: 'long', entry_time_ms: 1680307200000 + i * 60000, exit_time_ms: 1680310800000 + i * 60000, entry_price: 28000, exit_price: 28100, pnl_pct: 0.357, source: 'listing-test' });

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'trades.jsonl'), [0, 1, 2].map(trade).join('\n') + '\n');
  writeFileSync(path.join(dir, 'good.yaml'), `name: ${good}
stages:
  load: { uses: trades.import, with: { file: ${path.join(dir, 'trades.jsonl')}, stream: "listing.${tag}" } }
  fan: { uses: core.echo, forEach: [a, b, c], with: { message: "\${{ item }}" } }
  flaky:
    uses: core.fail
    needs: load
    with: { message: wobble, failTimes: 1 }
    retry: { maxAttempts: 2, initialInterval: 50ms }
`);
  writeFileSync(path.join(dir, 'bad.yaml'), `name: ${bad}
stages:
  broken: { uses: core.fail, with: { message: no luck }, retry: { maxAttempts: 1 } }
`);
  const g = await client('run', path.join(dir, 'good.yaml'));
  expect(g.code, g.stderr).toBe(0);
  goodId = /started (\S+)/.exec(g.stdout)![1];
  const b = await client('run', path.join(dir, 'bad.yaml'));
  expect(b.code).toBe(1);
  badId = /started (\S+)/.exec(b.stdout)![1];
}, 120_000);

describe('client runs', () => {
  it('lists runs by pipeline with their logical date, status and duration', async () => {
    const r = await client('runs', '--pipeline', good);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^WORKFLOW ID\s+PIPELINE\s+LOGICAL DATE\s+STATUS\s+GATE\s+PUBLISHED\s+DURATION$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${goodId}\\s+${good}\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\s+completed\\s+-\\s+-\\s+\\d+\\.\\ds$`));
    const json = JSON.parse((await client('runs', '--pipeline', good, '--json')).stdout);
    expect(json).toEqual([expect.objectContaining({ workflowId: goodId, pipeline: good, status: 'completed', outcome: 'succeeded', gate: null, published: null })]);
    expect(json[0].durationMs).toBeGreaterThan(0);
  });

  it('filters by status and start time, and refuses a status it does not know', async () => {
    const failed = JSON.parse((await client('runs', '--status', 'failed', '--since', '1h', '--json')).stdout);
    const ids = failed.map((r: { workflowId: string }) => r.workflowId);
    expect(ids).toContain(badId);
    expect(ids).not.toContain(goodId);
    const future = await client('runs', '--since', '2099-01-01');
    expect(future.stdout.trim()).toBe('no runs match');
    const wrong = await client('runs', '--status', 'exploded');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--status must be one of running, completed, failed, .*gate-failed/);
    const since = await client('runs', '--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since wants a date .* or a duration/);
  });
});

describe('client outputs', () => {
  it("prints every stage's outputs, one stage in full, and names a wrong stage", async () => {
    const all = await client('outputs', goodId);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^load\s+\{"file":".*trades\.jsonl","read":3,"imported":3,"skippedDuplicates":0\}$/m);
    expect(all.stdout).toMatch(/^fan\s+\[\{"message":"a"\},\{"message":"b"\},\{"message":"c"\}\]$/m);
    const one = await client('outputs', goodId, 'flaky', '--json');
    expect(JSON.parse(one.stdout)).toEqual({ attempts: 2 });
    const wrong = await client('outputs', goodId, 'flakey');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/has no stage 'flakey'. Did you mean 'flaky'\? Its stages: load, fan, flaky/);
    const failed = await client('outputs', badId, 'broken');
    expect(failed.stdout).toMatch(/stage 'broken' is failed: no outputs — .*no luck/);
  });
});

describe('client logs', () => {
  it("shows the run's activity log with run and stage on every line; a stage alone", async () => {
    const r = await client('logs', goodId);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ load +trades\.import #1 +trades\.import .*read 3, imported 3/);
    expect(r.stdout).toMatch(/ fan\[1\] b +core\.echo #1 +completed in/); // the item label follows the index
    expect(r.stdout).toMatch(/ flaky +core\.fail #1 +ERROR attempt 1 failed after [\d.]+s: StageTestError: wobble \(attempt 1\)/);
    expect(r.stdout).toMatch(/ flaky +core\.fail #2 +completed in/);
    const flaky = await client('logs', goodId, 'flaky', '--json');
    const entries = JSON.parse(flaky.stdout);
    expect(entries.map((e: { event: string; attempt: number }) => `${e.event}#${e.attempt}`)).toEqual(['start#1', 'fail#1', 'start#2', 'done#2']);
    expect(entries[0]).toMatchObject({ workflowId: goodId, stage: 'flaky', activityType: 'core.fail', runId: expect.any(String) });
    const none = await client('logs', goodId, '--log-file', path.join(dir, 'missing.jsonl'));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no activity log lines for .* in .*missing\.jsonl \(is this the machine the worker runs on\?\)/);
  });
});
