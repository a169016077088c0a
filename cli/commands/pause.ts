// `client pause <workflow-id>` / `client resume <workflow-id>`: between stages. A paused run
// starts no new stage (nor fan-out item); what is running finishes. Both are Temporal updates:
// the command returns once the run has taken it, with what is still running.
import type { Client } from '@temporalio/client';
import { connectClient } from '../connect';
import { flagString } from '../args';
import { printJson, type Command } from '../command';
import { pauseUpdate, resumeUpdate, type PauseState } from '../../workflows/messages';

async function send(client: Client, workflowId: string, what: 'pause' | 'resume', reason?: string): Promise<PauseState> {
  const handle = client.workflow.getHandle(workflowId);
  const desc = await handle.describe();
  if (desc.status.name !== 'RUNNING') throw new Error(`${workflowId} is ${desc.status.name.toLowerCase()}: nothing to ${what}`);
  try {
    return what === 'pause' ? await handle.executeUpdate(pauseUpdate, { args: [reason ?? null] }) : await handle.executeUpdate(resumeUpdate);
  } catch (err) {
    // The run's own refusal (e.g. it is failing) is the useful part of the message.
    const cause = (err as { cause?: Error }).cause;
    throw new Error(`${workflowId}: cannot ${what}: ${cause?.message ?? (err as Error).message}`);
  }
}

function describe(workflowId: string, s: PauseState): string {
  const running = s.running.length ? `; still running: ${s.running.join(', ')}` : '; nothing running';
  return s.paused ? `paused ${workflowId}${s.reason ? ` (${s.reason})` : ''}${running} (running stages finish; \`client resume\` continues)` : `resumed ${workflowId}${running}`;
}

export const pauseCommand: Command = {
  name: 'pause',
  args: '<workflow-id>',
  positionals: { min: 1, max: 1 },
  summary: 'start no new stage (or fan-out item) until resume; running ones finish',
  flags: [{ name: 'reason', type: 'string', value: 'TEXT', help: 'shown in the Web UI and by status' }],
  async run({ args, config, json }) {
    const s = await send(await connectClient(config), args.positionals[0], 'pause', flagString(args, 'reason'));
    if (json) printJson({ workflowId: args.positionals[0], ...s });
    else console.log(describe(args.positionals[0], s));
    return 0;
  },
};

export const resumeCommand: Command = {
  name: 'resume',
  args: '<workflow-id>',
  positionals: { min: 1, max: 1 },
  summary: 'continue a paused run',
  flags: [],
  async run({ args, config, json }) {
    const s = await send(await connectClient(config), args.positionals[0], 'resume');
    if (json) printJson({ workflowId: args.positionals[0], ...s });
    else console.log(describe(args.positionals[0], s));
    return 0;
  },
};
