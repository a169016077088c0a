// The activity log is rotated by size (activities.jsonl → .1 → .2 …, the oldest beyond `keep`
// dropped), and `client logs` reads the rotated files too. Real files; the second test runs a
// real worker, dev server and Redis.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { clientInProcess } from '../support/client-in-process';
import { compileYaml } from '../support/pipelines';
import { activityLogFiles, activityLogPath, openActivityLog, rotationFromEnv, type ActivityLogEntry } from '../../activities/activity-log';
import { readActivityLog } from '../../cli/activity-logs';
import { startRun } from '../../cli/run';

const stack = useStack({}, { activityLogRotation: { maxBytes: 2000, keep: 50 } });
const client = clientInProcess(() => stack.config);

const entry = (i: number): ActivityLogEntry => ({
  ts: new Date(1_700_000_000_000 + i).toISOString(),
  level: 'info',
  workflowId: 'wf-rotation',
  runId: 'run-1',
  activityId: String(i),
  activityType: 'core.echo',
  attempt: 1,
  event: 'log',
  msg: `line ${i}`,
});

describe('activity log rotation', () => {
  it('rotates by size, keeps `keep` old files, and the reader returns the newest lines in order', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'activity-log-'));
    const log = openActivityLog(dir, { maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 40; i++) log.write(entry(i));
    await log.close();
    const file = activityLogPath(dir);
    expect(readdirSync(dir).sort()).toEqual(['activities.jsonl', 'activities.jsonl.1', 'activities.jsonl.2']);
    for (const f of activityLogFiles(file)) expect(statSync(f).size).toBeLessThanOrEqual(1000);
    const lines = (await readActivityLog(file, 'wf-rotation')).map((e) => Number(e.activityId));
    expect(lines.at(-1)).toBe(39);
    expect(lines[0]).toBeGreaterThan(0); // the oldest file was dropped
    expect(lines).toEqual(Array.from({ length: lines.length }, (_, k) => lines[0] + k));

    // Reopening appends to the current file and goes on rotating from its size.
    const again = openActivityLog(dir, { maxBytes: 1000, keep: 2 });
    for (let i = 40; i < 60; i++) again.write(entry(i));
    await again.close();
    const after = (await readActivityLog(file, 'wf-rotation')).map((e) => Number(e.activityId));
    expect(after.at(-1)).toBe(59);
    expect(after).toEqual(Array.from({ length: after.length }, (_, k) => after[0] + k));
    expect(readdirSync(dir)).toHaveLength(3);
  });

  it('reads the size and the number of files from the environment, refusing nonsense', () => {
    expect(rotationFromEnv({})).toEqual({ maxBytes: 64 * 1024 * 1024, keep: 5 });
    expect(rotationFromEnv({ TRAINFLOW_ACTIVITY_LOG_MAX_BYTES: '10M', TRAINFLOW_ACTIVITY_LOG_KEEP: '3' })).toEqual({ maxBytes: 10 * 1024 * 1024, keep: 3 });
    expect(rotationFromEnv({ TRAINFLOW_ACTIVITY_LOG_MAX_BYTES: '5000' }).maxBytes).toBe(5000);
    expect(() => rotationFromEnv({ TRAINFLOW_ACTIVITY_LOG_MAX_BYTES: 'lots' })).toThrow(/TRAINFLOW_ACTIVITY_LOG_MAX_BYTES.*'lots'/);
    expect(() => rotationFromEnv({ TRAINFLOW_ACTIVITY_LOG_KEEP: '-1' })).toThrow(/TRAINFLOW_ACTIVITY_LOG_KEEP/);
  });

  it('client logs shows a run whose lines span rotated files', async () => {
    const plan = compileYaml(`
name: rotation
stages:
  each: { uses: core.echo, forEach: "\${{ range(10) }}", concurrency: 2, with: { message: "item \${{ item }}" } }
`);
    const handle = await startRun(stack.client, stack.config, plan);
    await handle.result();
    const file = activityLogPath(stack.config.logDir);
    expect(activityLogFiles(file).length).toBeGreaterThanOrEqual(3);
    const res = await client('logs', handle.workflowId, '--json');
    expect(res.code).toBe(0);
    const entries = JSON.parse(res.stdout) as Array<{ label: string; event: string }>;
    for (let i = 0; i < 10; i++) {
      const events = entries.filter((e) => e.label.startsWith(`each[${i}]`)).map((e) => e.event);
      expect(events).toContain('start');
      expect(events).toContain('done');
    }
  }, 60_000);
});
