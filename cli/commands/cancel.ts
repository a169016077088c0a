// `client cancel <workflow-id>`: cancels a run. Its running activities learn it with their next
// heartbeat and stop (the adapter makes a heartbeat after a cancel throw, so even an activity that
// never checks its signal stops); stages whose `when` calls always() or cancelled() then run; the
// run ends CANCELLED. By default the command waits for that and lists what was cancelled.
import type { Client } from '@temporalio/client';
import { connectClient } from '../connect';
import { flagSet, flagString } from '../args';
import { printJson, type Command } from '../command';
import { parseDuration } from '../../dsl/duration';
import { statusQuery } from '../../workflows/messages';

export interface CancelResult {
  workflowId: string;
  /** CANCELLED (or FAILED, if an always() stage failed), or CANCEL_REQUESTED if not waited for. */
  status: string;
  /** Stages the cancel stopped or kept from starting. */
  cancelled: string[];
  /** Stages that ran because of the cancel (when: always() / cancelled()). */
  ranAfter: string[];
}

export async function cancelRun(client: Client, workflowId: string, wait: boolean, timeoutMs: number): Promise<CancelResult> {
  const handle = client.workflow.getHandle(workflowId);
  const desc = await handle.describe();
  if (desc.status.name !== 'RUNNING') throw new Error(`${workflowId} is ${desc.status.name.toLowerCase()}: nothing to cancel`);
  const before = await handle.query(statusQuery).catch(() => undefined);
  await handle.cancel();
  if (!wait) return { workflowId, status: 'CANCEL_REQUESTED', cancelled: [], ranAfter: [] };
  const closed = await Promise.race([
    handle.result().then(() => true, () => true),
    new Promise<false>((r) => setTimeout(() => r(false), timeoutMs).unref()),
  ]);
  if (!closed) return { workflowId, status: 'CANCEL_REQUESTED', cancelled: [], ranAfter: [] };
  const status = (await handle.describe()).status.name;
  const after = await handle.query(statusQuery).catch(() => undefined);
  const stages = Object.entries(after?.stages ?? {});
  return {
    workflowId,
    status,
    cancelled: stages.filter(([, s]) => s.status === 'cancelled').map(([id]) => id),
    ranAfter: stages.filter(([id, s]) => before?.stages[id]?.status === 'pending' && (s.status === 'succeeded' || s.status === 'failed')).map(([id]) => id),
  };
}

export const cancelCommand: Command = {
  name: 'cancel',
  args: '<workflow-id>',
  positionals: { min: 1, max: 1 },
  summary: 'cancel a run: activities stop at their next heartbeat; always()/cancelled() stages run',
  flags: [
    { name: 'no-wait', type: 'boolean', help: 'return once the cancel is requested' },
    { name: 'timeout', type: 'string', value: 'DURATION', help: 'how long to wait for the run to end (default 5m)' },
  ],
  async run({ args, config, json }) {
    const raw = flagString(args, 'timeout') ?? '5m';
    const d = parseDuration(raw);
    if ('error' in d) throw new Error(`--timeout: ${d.error}`);
    const r = await cancelRun(await connectClient(config), args.positionals[0], !flagSet(args, 'no-wait'), d.ms);
    if (json) printJson(r);
    else if (r.status === 'CANCEL_REQUESTED') console.log(`cancel requested for ${r.workflowId}`);
    else {
      const ran = r.ranAfter.length ? `; ran after the cancel: ${r.ranAfter.join(', ')}` : '';
      console.log(`${r.workflowId}: ${r.status.toLowerCase()}; cancelled stages: ${r.cancelled.join(', ') || 'none'}${ran}`);
    }
    return 0;
  },
};
