// `client replay <workflow-id>`: replays a run's recorded history on this checkout's interpreter.
// Run it before deploying a change to workflows/: a determinism error here is one that would
// break runs in flight (and Resets of old runs).
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';

export async function replayRun(client: Client, workflowId: string, runId?: string): Promise<void> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  await Worker.runReplayHistory({ workflowsPath: path.join(__dirname, '..', 'workflows', 'index.ts') }, history, workflowId);
}
