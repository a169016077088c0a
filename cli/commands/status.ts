// `client status <workflow-id>`: a run's state, stage by stage.
import { connectClient } from '../connect';
import { failedStatus, loadRunStatus, renderStatus } from '../status';
import { printJson, type Command } from '../command';

export const statusCommand: Command = {
  name: 'status',
  args: '<workflow-id>',
  positionals: { min: 1, max: 1 },
  summary: "a run's state, stage by stage",
  details: 'Exit code 1 when the run failed, was cancelled, terminated or timed out.',
  flags: [],
  async run({ args, config, json }) {
    const view = await loadRunStatus(await connectClient(config), args.positionals[0]);
    if (json) printJson(view);
    else console.log(renderStatus(view));
    return failedStatus(view.status) ? 1 : 0;
  },
};
