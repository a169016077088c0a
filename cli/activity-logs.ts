// Reads the worker's activity log (activities/activity-log.ts) for one workflow: every run of
// it (continue-as-new, resets), each line named with its stage from that run's history.
import { createReadStream, existsSync } from 'node:fs';
import readline from 'node:readline';
import type { Client } from '@temporalio/client';
import { activityLogFiles, type ActivityLogEntry } from '../activities/activity-log';
import { scheduledActivities, stageOfLabel } from './run-history';

export interface StageLogEntry extends ActivityLogEntry {
  /** The activity's label in the run: the stage id, with `[i]...` for a fan-out item. */
  label: string;
  stage: string;
}

/** The lines of `workflowId` in `file` and its rotations (file.1, file.2, …), oldest first. */
export async function readActivityLog(file: string, workflowId: string): Promise<ActivityLogEntry[]> {
  const out: ActivityLogEntry[] = [];
  const needle = JSON.stringify(workflowId);
  for (const f of activityLogFiles(file)) {
    if (!existsSync(f)) continue; // rotated away since it was listed
    const lines = readline.createInterface({ input: createReadStream(f, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.includes(needle)) continue; // cheap pre-filter before parsing
      try {
        const e = JSON.parse(line) as ActivityLogEntry;
        if (e.workflowId === workflowId) out.push(e);
      } catch {
        /* a line cut short by a crash */
      }
    }
  }
  return out;
}

/** (runId, activityId) → label, from the history of each run that wrote to the log. */
async function labelsOf(client: Client, workflowId: string, runIds: Iterable<string>): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  for (const runId of runIds) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    for (const a of scheduledActivities(history.events ?? [])) labels.set(`${runId}/${a.activityId}`, a.label);
  }
  return labels;
}

export async function stageLogs(client: Client, file: string, workflowId: string, stage?: string): Promise<StageLogEntry[]> {
  const entries = await readActivityLog(file, workflowId);
  const labels = await labelsOf(client, workflowId, new Set(entries.map((e) => e.runId)));
  return entries
    .map((e) => {
      const label = labels.get(`${e.runId}/${e.activityId}`) ?? `(activity ${e.activityId})`;
      return { ...e, label, stage: stageOfLabel(label) };
    })
    .filter((e) => stage === undefined || e.stage === stage);
}

export function renderLogLine(e: StageLogEntry): string {
  const fields = e.fields && Object.keys(e.fields).length ? ` ${JSON.stringify(e.fields)}` : '';
  return `${e.ts}  ${e.runId.slice(0, 8)}  ${e.label.padEnd(14)} ${e.activityType} #${e.attempt}  ${e.level === 'error' ? 'ERROR ' : ''}${e.msg}${fields}`;
}
