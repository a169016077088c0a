// `client status <workflow-id>`: a run's state, stage by stage.
import { connectClient } from '../connect';
import { failedStatus, loadRunStatus, renderStatus } from '../status';
import { outcomeExitCode } from '../run-summary';
import { printJson, type Command } from '../command';

export const statusCommand: Command = {
  name: 'status',
  args: '<workflow-id>',
  positionals: { min: 1, max: 1 },
  summary: "a run's state, stage by stage",
  details: 'Once the run is closed, its outcome (published | gate-failed | nothing-published | succeeded | failed | cancelled),\nsamples in/out, gate verdicts, published version, report and model paths.\nExit code: 0 running, succeeded or published; 3 completed without publishing (gate failed); 1 failed or cancelled.',
  flags: [],
  async run({ args, config, json }) {
    const view = await loadRunStatus(await connectClient(config), args.positionals[0]);
    if (json) printJson(view);
    else console.log(renderStatus(view));
    return view.summary ? outcomeExitCode(view.summary.outcome) : failedStatus(view.status) ? 1 : 0;
  },
};
