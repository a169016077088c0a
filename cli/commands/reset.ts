// `client reset <workflow-id>`: a failed run again, from after its last completed stage.
import { connectClient } from '../connect';
import { resetToLastGoodStage } from '../reset';
import { flagString } from '../args';
import { printJson, type Command } from '../command';

export const resetCommand: Command = {
  name: 'reset',
  args: '<workflow-id>',
  positionals: { min: 1, max: 1 },
  summary: 'a failed run again, from after its last completed stage',
  flags: [{ name: 'reason', type: 'string', value: 'TEXT', help: "recorded in the run's history" }],
  async run({ args, config, json }) {
    const r = await resetToLastGoodStage(await connectClient(config), args.positionals[0], flagString(args, 'reason'));
    if (json) printJson(r);
    else console.log(`reset ${r.workflowId} to event ${r.eventId}: new run ${r.runId}`);
    return 0;
  },
};
