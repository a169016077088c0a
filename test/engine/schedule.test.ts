// Schedules from a pipeline's `schedule:` block: each run compiles the YAML when it starts and
// takes its logical date from the scheduled time, so a schedule backfill processes past days.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { completedRuns } from '../support/runs';
import { compileYaml } from '../support/pipelines';
import { paths } from '../../stack/tools';
import { deleteSchedule, scheduleId, upsertSchedule } from '../../cli/schedule';

const dir = path.join(paths.var, 'test', `pipelines-${randomUUID().slice(0, 8)}`);
const stack = useStack({ pipelinesDir: dir });

const yaml = (name: string, extra = '') => `name: ${name}
schedule: { cron: "15 0 * * *", timezone: UTC, overlap: allowAll, catchupWindow: 1d }
stages:
  day: { uses: core.echo, with: { message: "\${{ dateFormat(dateAdd(run.logicalDate, '-1d'), 'YYYY-MM-DD') }}" } }
${extra}`;

describe('scheduled pipelines', () => {
  it('backfills past days with their scheduled logical dates, and picks up YAML edits at the next run', async () => {
    const name = `nightly-${randomUUID().slice(0, 6)}`;
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'nightly.yaml');
    writeFileSync(file, yaml(name));
    const plan = compileYaml(yaml(name));
    expect(await upsertSchedule(stack.client, stack.config, plan, file)).toMatch(/created schedule/);
    const handle = stack.client.schedule.getHandle(scheduleId(plan));
    try {
      await handle.backfill({ start: new Date('2023-04-01T00:00:00Z'), end: new Date('2023-04-03T00:00:00Z'), overlap: 'ALLOW_ALL' });
      const runs = await completedRuns(stack.client, name, 2);
      expect(runs.map((r) => r.logicalDate).sort()).toEqual(['2023-04-01T00:15:00.000Z', '2023-04-02T00:15:00.000Z']);
      expect(runs.map((r) => (r.stages.day.outputs as { message: string }).message).sort()).toEqual(['2023-03-31', '2023-04-01']);

      writeFileSync(file, yaml(name, `  extra: { uses: core.echo, needs: day, with: { message: added } }\n`));
      await handle.trigger();
      const after = await completedRuns(stack.client, name, 3);
      expect(after.some((r) => r.stages.extra?.status === 'succeeded')).toBe(true);
    } finally {
      await deleteSchedule(stack.client, name);
    }
  });
});
