// Waits for runs of a pipeline started by a schedule (their ids are the schedule's, plus a time).
import type { Client } from '@temporalio/client';
import type { RunState } from '../../workflows/run-state';

export async function completedRuns(client: Client, pipeline: string, count: number): Promise<RunState[]> {
  for (let i = 0; i < 300; i++) {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query: `Pipeline = "${pipeline}" AND ExecutionStatus = "Completed"` })) ids.push(wf.workflowId);
    if (ids.length >= count) return Promise.all(ids.map((id) => client.workflow.getHandle(id).result() as Promise<RunState>));
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`fewer than ${count} completed runs of ${pipeline}`);
}
