// `client run <file>`: compile, check params, start, follow the stages; exit 0 on success and 1
// with the failing stage's error otherwise.
import { resolveParams } from '../../dsl/resolve-params';
import { connectClient } from '../connect';
import { compileOrThrow } from '../compile-file';
import { failureMessage, followRun, startRun } from '../run';
import { stateOfFailure } from '../status';
import { runLink } from '../web-ui';
import { flagSet, flagString, PARAM_FLAG } from '../args';
import { printJson, type Command } from '../command';

export const runCommand: Command = {
  name: 'run',
  args: '<file>',
  positionals: { min: 1, max: 1 },
  summary: 'start a run and follow its stages',
  details: 'Params are checked (types, unknown names) before anything connects to Temporal.\nExample: client run pipelines/demo.yaml --param from=2023-04-10 --param symbols=BTCUSDT,ETHUSDT',
  flags: [
    PARAM_FLAG,
    { name: 'id', type: 'string', value: 'ID', help: 'workflow id (default <pipeline>-<UTC time>-<random>)' },
    { name: 'no-follow', type: 'boolean', help: 'return as soon as the run has started' },
  ],
  async run({ args, config, json }) {
    const plan = compileOrThrow(args.positionals[0]);
    const { errors } = resolveParams(plan, args.params);
    if (errors.length) throw new Error(errors.join('\n'));
    const client = await connectClient(config);
    const handle = await startRun(client, config, plan, { params: args.params, workflowId: flagString(args, 'id') });
    const link = runLink(config, handle.workflowId);
    const log = json ? console.error : console.log;
    log(`started ${handle.workflowId}\n  Web UI: ${link}`);
    if (flagSet(args, 'no-follow')) {
      if (json) printJson({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId, status: 'RUNNING', webUi: link });
      return 0;
    }
    try {
      const state = await followRun(client, handle.workflowId, plan, log);
      if (json) printJson({ workflowId: handle.workflowId, status: 'COMPLETED', webUi: link, state });
      else console.log(`run succeeded: ${handle.workflowId}`);
      return 0;
    } catch (err) {
      if (json) printJson({ workflowId: handle.workflowId, status: 'FAILED', webUi: link, error: failureMessage(err), state: stateOfFailure(err) });
      console.error(`run failed: ${failureMessage(err)}`);
      return 1;
    }
  },
};
