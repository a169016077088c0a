// `client status <workflow-id>`: the run's state, stage by stage.
import type { Client } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { statusQuery } from '../workflows/messages';
import type { RunState } from '../workflows/run-state';
import { stageLine } from './progress';
import { describeFailure } from '../workflows/failure-message';

export async function runStatus(client: Client, workflowId: string): Promise<number> {
  const handle = client.workflow.getHandle(workflowId);
  const desc = await handle.describe();
  console.log(`${workflowId}  ${desc.status.name}  (started ${desc.startTime.toISOString()}${desc.closeTime ? `, closed ${desc.closeTime.toISOString()}` : ''})`);
  let state: RunState | undefined;
  if (desc.status.name === 'COMPLETED') state = (await handle.result()) as RunState;
  else if (desc.status.name === 'FAILED') {
    try {
      await handle.result();
    } catch (err) {
      const cause = err instanceof WorkflowFailedError ? (err.cause as { details?: unknown[] }) : undefined;
      state = (cause?.details?.[0] as { state?: RunState } | undefined)?.state;
      console.log(`error: ${describeFailure(err instanceof WorkflowFailedError ? err.cause : err)}`);
    }
  }
  if (!state) {
    try {
      state = await handle.query(statusQuery);
    } catch (err) {
      console.log(`(stage details unavailable: ${(err as Error).message.split('\n')[0]})`);
    }
  }
  if (state) {
    console.log(`pipeline ${state.pipeline}  plan ${state.planHash.slice(0, 12)}  logical date ${state.logicalDate}${state.continuedAsNew ? `  continued-as-new ${state.continuedAsNew}×` : ''}`);
    for (const [id, s] of Object.entries(state.stages)) console.log(stageLine(id, '', s).replace(' () ', ' '));
  }
  return desc.status.name === 'FAILED' || desc.status.name === 'TERMINATED' ? 1 : 0;
}
