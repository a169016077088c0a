// `client replay <workflow-id>`: replays a run's recorded history on this checkout's interpreter.
import { connectClient } from '../connect';
import { flagString, type FlagSpec } from '../args';
import { printJson, type Command } from '../command';

const runFlag: FlagSpec = { name: 'run', type: 'string', value: 'RUN_ID', help: 'a run of the workflow other than its latest' };

export const replayCommand: Command = {
  name: 'replay',
  args: '<workflow-id>',
  positionals: { min: 1, max: 1 },
  summary: "replay a run's history on this checkout (determinism check)",
  details: 'Run it before deploying a change to workflows/: a determinism error here would break runs in flight.',
  flags: [runFlag],
  async run({ args, config, json }) {
    const { replayRun } = await import('../replay');
    const id = args.positionals[0];
    await replayRun(await connectClient(config), id, flagString(args, 'run'));
    if (json) printJson({ workflowId: id, replayed: true });
    else console.log(`${id}: replayed without a determinism error`);
    return 0;
  },
};
