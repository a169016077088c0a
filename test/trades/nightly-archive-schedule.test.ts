// pipelines/nightly-archive.yaml end to end: a schedule backfill over two past days runs the
// real worker, each run archiving the UTC day before its logical date.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { completedRuns } from '../support/runs';
import { compileYaml } from '../support/pipelines';
import { paths } from '../../stack/tools';
import { deleteSchedule, scheduleId, upsertSchedule } from '../../cli/schedule';
import { importTrades, readValidTrades } from '../../activities/trades/import';
import { readArchivedDay } from '../../activities/trades/archive-files';
import { SIMULATED_FILE } from '../../activities/trades/simulated-file';
import type { ArchiveDayOutput } from '../../activities/trades/archive-day';

const dir = path.join(paths.var, 'test', `pipelines-${randomUUID().slice(0, 8)}`);
const stack = useStack({ pipelinesDir: dir });

describe('nightly-archive schedule', () => {
  it('archives yesterday (UTC) for each scheduled day', async () => {
    const name = `nightly-archive-${randomUUID().slice(0, 6)}`;
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'nightly-archive.yaml');
    const yaml = readFileSync(path.join(paths.root, 'pipelines', 'nightly-archive.yaml'), 'utf8').replace(/^name: nightly-archive$/m, `name: ${name}`);
    writeFileSync(file, yaml);
    await importTrades(SIMULATED_FILE, { redis: stack.redis.client });
    const plan = compileYaml(yaml, file);
    await upsertSchedule(stack.client, stack.config, plan, file);
    const handle = stack.client.schedule.getHandle(scheduleId(plan));
    try {
      await handle.backfill({ start: new Date('2023-04-02T00:00:00Z'), end: new Date('2023-04-04T00:00:00Z'), overlap: 'ALLOW_ALL' });
      const runs = await completedRuns(stack.client, name, 2);
      const outputs = runs.map((r) => r.stages.archive.outputs as ArchiveDayOutput).sort((a, b) => (a.day < b.day ? -1 : 1));
      const simulated = readValidTrades(SIMULATED_FILE);
      const expected = (day: string) => simulated.filter((t) => new Date(t.exit_time_ms).toISOString().startsWith(day)).length;
      expect(outputs.map((o) => [o.day, o.status, o.count])).toEqual([
        ['2023-04-01', 'written', expected('2023-04-01')],
        ['2023-04-02', 'written', expected('2023-04-02')],
      ]);
      expect(expected('2023-04-01')).toBeGreaterThan(10);
      expect(readArchivedDay(stack.config.dataDir, '2023-04-02')).toHaveLength(expected('2023-04-02'));
    } finally {
      await deleteSchedule(stack.client, name);
    }
  });
});
