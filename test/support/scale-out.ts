// N worker processes on one task queue running one multi-symbol backfill pipeline: shared by the
// scale-out test (work shared, a worker killed) and bench/scale-out.ts (throughput per N).
// REST only (archives: false): the setting, the local weight limit raised so that paging
// is the work shared out; the bulk-archive path is measured by bench/backfill.ts.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { backfillPipelineYaml, compileYaml } from './pipelines';
import { spawnWorker, type WorkerProcess } from './worker-process';
import type { Config } from '../../config';

export const scaleOutPipeline = compileYaml(
  backfillPipelineYaml({ name: 'scale-out-backfill', barsPerChunk: 1440, concurrency: 12, archives: false, maxAttempts: 20, heartbeat: '10s' }),
);

/** Starts `n` workers (each running at most `slots` activities at once) and waits until all poll. */
export async function startWorkers(n: number, config: Config, bundlePath: string, slots: number): Promise<WorkerProcess[]> {
  const workers = Array.from({ length: n }, () => spawnWorker(config, bundlePath, { TRAINFLOW_WORKER_ACTIVITIES: String(slots) }));
  const deadline = Date.now() + 120_000;
  while (!workers.every((w) => /state: 'RUNNING'|worker: task queue/.test(w.output()))) {
    if (Date.now() > deadline) throw new Error(`workers did not start:\n${workers.map((w) => w.output()).join('\n---\n')}`);
    if (workers.some((w) => w.child.exitCode !== null)) throw new Error(`a worker exited:\n${workers.map((w) => w.output()).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return workers;
}

/** Which worker (identity, pid@host) ran each activity attempt of the run, counted. */
export async function activitiesByWorker(client: Client, handle: WorkflowHandle, activityType = 'binance.backfillKlines'): Promise<Map<string, number>> {
  const history = await client.workflow.getHandle(handle.workflowId).fetchHistory();
  const scheduled = new Map<number, string>();
  const counts = new Map<string, number>();
  for (const e of history.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(Number(e.eventId), s.activityType?.name ?? '');
    const st = e.activityTaskStartedEventAttributes;
    if (st && scheduled.get(Number(st.scheduledEventId)) === activityType) counts.set(st.identity ?? '?', (counts.get(st.identity ?? '?') ?? 0) + 1);
  }
  return counts;
}
