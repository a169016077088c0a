// Schedules from the YAML with `client schedule apply` (the diff, --dry-run, updates, deletes),
// list/pause/resume/trigger/unschedule, and `client backfill`: every missed logical date, one
// after the other, with the id its scheduled run would have, so no date runs twice at once.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { clientInProcess } from '../support/client-in-process';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { logicalRunId } from '../../cli/schedule';
import { paths } from '../../stack/tools';

const dir = path.join(paths.var, 'test', `schedules-${randomUUID().slice(0, 8)}`);
const stack = useStack({ pipelinesDir: dir });
const client = clientInProcess(() => stack.config);
const at = (file: string) => path.join(dir, file);
const tag = randomUUID().slice(0, 6);

function write(file: string, name: string, schedule?: string, extra = '') {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, file), `name: ${name}\n${schedule ? `schedule: ${schedule}\n` : ''}stages:\n  day: { uses: core.echo, with: { message: "\${{ run.logicalDate }}" } }\n${extra}`);
}
const listed = async () => JSON.parse((await client('schedule', 'list', '--json')).stdout) as Array<{ scheduleId: string; cron: string; paused: boolean }>;
const mine = async () => (await listed()).filter((s) => s.scheduleId.endsWith(tag));

describe('client schedule', () => {
  it('apply creates, updates and deletes to match the YAML, prints the diff, and --dry-run changes nothing', async () => {
    write('a.yaml', `a-${tag}`, '{ cron: "15 0 * * *", timezone: UTC, overlap: skip }');
    write('b.yaml', `b-${tag}`, '{ cron: "0 3 * * *", timezone: Europe/Paris }');
    write('c.yaml', `c-${tag}`);
    write('orphan.yaml', `orphan-${tag}`, '{ cron: "0 4 * * *" }');

    const dry = await client('schedule', 'apply', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^\\+ pipeline-a-${tag}  create: cron "15 0 \\* \\* \\*" UTC, overlap skip \\(a\\.yaml\\)$`, 'm'));
    expect(dry.stdout).toMatch(new RegExp(`^\\+ pipeline-b-${tag}  create: cron "0 3 \\* \\* \\*" Europe/Paris`, 'm'));
    expect(dry.stdout).not.toContain(`c-${tag}`);
    expect(dry.stdout).toMatch(/dry run: 3 change\(s\) not applied/);
    expect(await mine()).toEqual([]);

    const applied = await client('schedule', 'apply');
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/3 change\(s\) applied/);
    expect((await mine()).map((s) => [s.scheduleId, s.cron])).toEqual([
      [`pipeline-a-${tag}`, '15 0 * * *'],
      [`pipeline-b-${tag}`, '0 3 * * *'],
      [`pipeline-orphan-${tag}`, '0 4 * * *'],
    ]);

    // Given files speak only for their pipelines: the orphan is left alone.
    write('a.yaml', `a-${tag}`, '{ cron: "30 1 * * *", timezone: UTC, overlap: skip }');
    write('b.yaml', `b-${tag}`);
    const update = await client('schedule', 'apply', at('a.yaml'), at('b.yaml'), '--json');
    expect(update.code, update.stderr).toBe(0);
    const changes = JSON.parse(update.stdout).changes;
    expect(changes.map((c: { kind: string; scheduleId: string }) => `${c.kind} ${c.scheduleId}`)).toEqual([`update pipeline-a-${tag}`, `delete pipeline-b-${tag}`]);
    expect(changes[0].changes).toEqual(['cron: "15 0 * * *" → "30 1 * * *"']);

    // With no files the pipelines folder is the whole truth: a schedule nobody declares goes.
    rmSync(path.join(dir, 'orphan.yaml'));
    const prune = await client('schedule', 'apply');
    expect(prune.stdout).toMatch(new RegExp(`^= pipeline-a-${tag}  unchanged$`, 'm'));
    expect(prune.stdout).toMatch(new RegExp(`^- pipeline-orphan-${tag}  delete`, 'm'));
    expect((await mine()).map((s) => [s.scheduleId, s.cron])).toEqual([[`pipeline-a-${tag}`, '30 1 * * *']]);
    expect((await client('schedule', 'apply')).stdout).toMatch(/no changes/);

    // A file that does not compile stops the apply before anything changes.
    writeFileSync(path.join(dir, 'broken.yaml'), 'name: broken\nschedule: { cron: "61 0 * * *" }\nstages:\n  a: { uses: core.echo }\n');
    write('a.yaml', `a-${tag}`, '{ cron: "45 2 * * *", timezone: UTC }');
    const broken = await client('schedule', 'apply');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.yaml:2:\d+: .*minute value 61[\s\S]*nothing applied/);
    expect((await mine()).map((s) => s.cron)).toEqual(['30 1 * * *']);
    rmSync(path.join(dir, 'broken.yaml'));
  });

  it('pause, resume and trigger a schedule; unschedule of a missing one says so', async () => {
    write('p.yaml', `p-${tag}`, '{ cron: "0 5 * * *", overlap: allowAll }');
    expect((await client('schedule', 'apply', at('p.yaml'))).code).toBe(0);
    const paused = await client('schedule', 'pause', `p-${tag}`, '--note', 'exchange maintenance');
    expect(paused.stdout).toMatch(`paused pipeline-p-${tag}`);
    const list = await client('schedule', 'list');
    expect(list.stdout).toMatch(new RegExp(`^pipeline-p-${tag}  "0 5 \\* \\* \\*" UTC  PAUSED \\(exchange maintenance\\)`, 'm'));
    // Applying an edit keeps it paused.
    write('p.yaml', `p-${tag}`, '{ cron: "0 6 * * *", overlap: allowAll }');
    expect((await client('schedule', 'apply', at('p.yaml'))).stdout).toMatch(new RegExp(`~ pipeline-p-${tag}  update \\[paused\\]`));
    expect((await mine()).find((s) => s.scheduleId === `pipeline-p-${tag}`)?.paused).toBe(true);
    expect((await client('schedule', 'resume', `pipeline-p-${tag}`)).stdout).toMatch(`resumed pipeline-p-${tag}`);
    expect((await mine()).find((s) => s.scheduleId === `pipeline-p-${tag}`)?.paused).toBe(false);

    const trig = await client('schedule', 'trigger', `p-${tag}`);
    expect(trig.code, trig.stderr).toBe(0);
    const runId = new RegExp(`started (p-${tag}-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)$`, 'm').exec(trig.stdout)?.[1];
    expect(runId, trig.stdout).toBeDefined();
    const state = (await stack.client.workflow.getHandle(runId!).result()) as { stages: { day: { status: string } } };
    expect(state.stages.day.status).toBe('succeeded');

    expect((await client('unschedule', `p-${tag}`)).stdout).toMatch(`deleted schedule pipeline-p-${tag}`);
    const again = await client('unschedule', `p-${tag}`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(`no schedule 'pipeline-p-${tag}' (pipeline 'p-${tag}'); \`client schedule list\` shows the schedules there are`);
    expect((await client('schedule', 'pause', `nope-${tag}`)).stderr).toMatch(`no schedule 'pipeline-nope-${tag}'`);
    const old = await client('schedule', at('p.yaml'));
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/client schedule apply \S*p\.yaml/);
  });
});

describe('client backfill', () => {
  const name = `d-${tag}`;
  const yaml = `name: ${name}
schedule: { cron: "0 0 * * *", timezone: UTC, overlap: skip }
params:
  ms: { type: integer, default: 0 }
stages:
  day: { uses: core.echo, with: { message: "\${{ run.logicalDate }}" } }
  wait: { uses: core.sleep, needs: day, with: { ms: "\${{ params.ms }}" } }
  flaky:
    uses: core.fail
    needs: wait
    when: "\${{ run.logicalDate == '2023-04-02T00:00:00.000Z' }}"
    with: { message: bad day }
    retry: { maxAttempts: 1 }
`;

  it('runs every missed date one after the other, skips the done ones, reruns the failed one', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'daily.yaml'), yaml);
    expect((await client('schedule', 'apply', at('daily.yaml'))).code).toBe(0);
    await stack.client.schedule.getHandle(`pipeline-${name}`).pause('test: only backfill runs');

    const dry = await client('backfill', name, '--from', '2023-04-01', '--to', '2023-04-03', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.match(/^\+ 2023-04-0[123]T00:00:00Z .* would run$/gm)).toHaveLength(3);
    expect(dry.stdout).toMatch(/0 ran \(0 failed\), 0 already done, 0 running now, 3 would run/);

    const r = await client('backfill', name, '--from', '2023-04-01', '--to', '2023-04-03');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`✓ 2023-04-01T00:00:00Z  ${name}-2023-04-01T00:00:00Z  succeeded`));
    expect(r.stdout).toMatch(new RegExp(`✗ 2023-04-02T00:00:00Z  ${name}-2023-04-02T00:00:00Z  failed .*bad day`));
    expect(r.stdout).toMatch(new RegExp(`✓ 2023-04-03T00:00:00Z  ${name}-2023-04-03T00:00:00Z  succeeded`));
    expect(r.stdout).toMatch(/3 ran \(1 failed\), 0 already done/);
    const runs = await Promise.all(['01', '02', '03'].map((d) => stack.client.workflow.getHandle(`${name}-2023-04-${d}T00:00:00Z`).describe()));
    // Sequential: each date started after the one before had closed.
    expect(runs[1].startTime.getTime()).toBeGreaterThanOrEqual(runs[0].closeTime!.getTime());
    expect(runs[2].startTime.getTime()).toBeGreaterThanOrEqual(runs[1].closeTime!.getTime());
    const first = (await stack.client.workflow.getHandle(`${name}-2023-04-01T00:00:00Z`).result()) as { logicalDate: string; stages: { day: { outputs: { message: string } } } };
    expect(first.logicalDate).toBe('2023-04-01T00:00:00.000Z');
    expect(first.stages.day.outputs.message).toBe('2023-04-01T00:00:00.000Z');

    const again = await client('backfill', name, '--from', '2023-04-01', '--to', '2023-04-03', '--json');
    expect(again.code).toBe(1);
    const results = JSON.parse(again.stdout).results;
    expect(results.map((x: { kind: string }) => x.kind)).toEqual(['done', 'ran', 'done']);

    // The failed date ran twice, as two runs of the same workflow id.
    // Visibility (what `runs` lists) catches up with closed runs a little later: wait until it shows
    // four runs (at most 20 s), then check exactly what they are.
    let listed: Array<{ logicalDate: string; status: string }> = [];
    for (const until = Date.now() + 20_000; listed.length < 4 && Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
      listed = JSON.parse((await client('runs', '--pipeline', name, '--json')).stdout);
    }
    expect(listed.map((x: { logicalDate: string; status: string }) => `${x.logicalDate} ${x.status}`).sort()).toEqual([
      '2023-04-01T00:00:00.000Z completed',
      '2023-04-02T00:00:00.000Z failed',
      '2023-04-02T00:00:00.000Z failed',
      '2023-04-03T00:00:00.000Z completed',
    ]);
  });

  it('never starts a date that is running now', async () => {
    const plan = compileYaml(yaml);
    const id = logicalRunId(name, new Date('2023-04-04T00:00:00Z'));
    const running = await startRun(stack.client, stack.config, plan, { workflowId: id, logicalDate: '2023-04-04T00:00:00.000Z', params: { ms: '120000' } });
    try {
      const r = await client('backfill', path.join(dir, 'daily.yaml'), '--from', '2023-04-04', '--to', '2023-04-04');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`… 2023-04-04T00:00:00Z  ${id}  running now: not started twice`));
      expect(r.stdout).toMatch(/0 ran \(0 failed\), 0 already done, 1 running now/);
      const desc = await running.describe();
      expect(desc.status.name).toBe('RUNNING');
      expect(desc.runId).toBe(running.firstExecutionRunId);
    } finally {
      await running.terminate('test done');
    }
  });

  it('says what is wrong with its arguments', async () => {
    const missing = await client('backfill', `nope-${tag}`, '--from', '2023-04-01', '--to', '2023-04-02');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(`no schedule 'pipeline-nope-${tag}'`);
    const backwards = await client('backfill', name, '--from', '2023-04-03', '--to', '2023-04-01');
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/--to \(2023-04-01\) is before --from \(2023-04-03\)/);
    const noRange = await client('backfill', name);
    expect(noRange.code).toBe(2);
    expect(noRange.stderr).toMatch(/needs --from D and --to D/);
  });
});
