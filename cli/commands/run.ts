// `client run <file>`: compile, check params, start, follow the stages, then the run's summary
// (samples, gate, published version, report and model paths, Web UI link). Exit 0 when it
// succeeded or published, 3 when it completed but its gate failed or it published nothing, 1 when
// it failed.
import { resolveParams } from '../../dsl/resolve-params';
import { connectClient } from '../connect';
import { compileOrThrow } from '../compile-file';
import { followToSummary } from '../follow-to-summary';
import { startRun } from '../run';
import { runLink } from '../web-ui';
import { flagSet, flagString, PARAM_FLAG } from '../args';
import { printJson, type Command } from '../command';

export const runCommand: Command = {
  name: 'run',
  args: '<file>',
  positionals: { min: 1, max: 1 },
  summary: 'start a run, follow its stages, print its outcome',
  details: [
    'Params are checked (types, unknown names) before anything connects to Temporal.',
    'Example: client run pipelines/demo.yaml --param from=2023-04-10 --param symbols=BTCUSDT,ETHUSDT',
    'Exit code: 0 succeeded or published; 3 completed but its gate failed or nothing was published; 1 failed.',
  ].join('\n'),
  flags: [
    PARAM_FLAG,
    { name: 'id', type: 'string', value: 'ID', help: 'workflow id (default <pipeline>-<UTC time>-<random>)' },
    { name: 'no-follow', type: 'boolean', help: 'return as soon as the run has started' },
    { name: 'no-cache', type: 'boolean', help: 'run every stage, also those with cache: true' },
  ],
  async run({ args, config, json }) {
    const plan = compileOrThrow(args.positionals[0]);
    const { errors } = resolveParams(plan, args.params);
    if (errors.length) throw new Error(errors.join('\n'));
    const client = await connectClient(config);
    const handle = await startRun(client, config, plan, { params: args.params, workflowId: flagString(args, 'id'), noCache: flagSet(args, 'no-cache') });
    const link = runLink(config, handle.workflowId);
    const log = json ? console.error : console.log;
    log(`started ${handle.workflowId}\n  Web UI: ${link}`);
    if (flagSet(args, 'no-follow')) {
      if (json) printJson({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId, status: 'RUNNING', webUi: link });
      return 0;
    }
    return followToSummary(client, handle.workflowId, plan, { log, json, webUi: link, closingLine: true });
  },
};
