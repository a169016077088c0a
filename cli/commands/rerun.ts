// `client rerun <workflow-id> [--from-stage S] [--param k=v] [--file F]`: see cli/rerun.ts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { connectClient } from '../connect';
import { compileOrThrow } from '../compile-file';
import { followToSummary } from '../follow-to-summary';
import { startRun } from '../run';
import { runLink } from '../web-ui';
import { flagSet, flagString, PARAM_FLAG } from '../args';
import { printJson, type Command } from '../command';
import { loadEarlierRun, planRerun } from '../rerun';

export const rerunCommand: Command = {
  name: 'rerun',
  args: '<workflow-id>',
  positionals: { min: 1, max: 1 },
  summary: 'a new run with the current YAML, reusing the earlier run\'s stages before --from-stage',
  details: [
    'The new run has the earlier run\'s params (override with --param) and logical date, and the pipeline',
    'as its YAML file says now. Stages before --from-stage (default: the first that did not succeed) start',
    'with the earlier outputs, unless their definition changed in the YAML or a stage they need runs again.',
    'Example: client rerun demo-training-20230410T001500Z-ab12 --from-stage train --param every=5',
  ].join('\n'),
  flags: [
    { name: 'from-stage', type: 'string', value: 'STAGE', help: 'the first stage to run again (it and everything downstream run)' },
    PARAM_FLAG,
    { name: 'file', type: 'string', value: 'FILE', help: "the pipeline's YAML (default: the file the earlier run was compiled from)" },
    { name: 'no-follow', type: 'boolean', help: 'return as soon as the run has started' },
    { name: 'no-cache', type: 'boolean', help: 'run every stage not reused, also those with cache: true' },
  ],
  async run({ args, config, json }) {
    const client = await connectClient(config);
    const earlier = await loadEarlierRun(client, args.positionals[0]);
    const file = flagString(args, 'file') ?? earlier.plan.source?.file;
    const candidates = file ? [file, path.join(config.pipelinesDir, path.basename(file))] : [];
    const found = candidates.find((f) => existsSync(f));
    if (!found) throw new Error(`cannot find the pipeline's YAML${file ? ` (${file})` : ''}: pass --file`);
    const plan = compileOrThrow(found);
    if (plan.name !== earlier.plan.name) throw new Error(`${found} is pipeline '${plan.name}', but ${earlier.workflowId} ran '${earlier.plan.name}'`);
    const { reuse, rerun, fromStage } = planRerun(earlier.plan, earlier.state, plan, earlier, flagString(args, 'from-stage'));
    const params = Object.create(null) as Record<string, unknown>;
    const dropped: string[] = [];
    for (const [k, v] of Object.entries(earlier.params)) {
      if (Object.prototype.hasOwnProperty.call(plan.params, k)) params[k] = v;
      else dropped.push(k);
    }
    for (const [k, v] of Object.entries(args.params)) params[k] = v;
    const handle = await startRun(client, config, plan, { params, logicalDate: earlier.logicalDate, reuse, noCache: flagSet(args, 'no-cache') });
    const link = runLink(config, handle.workflowId);
    const log = json ? console.error : console.log;
    log(`started ${handle.workflowId}: a rerun of ${earlier.workflowId} from stage '${fromStage}' (logical date ${earlier.logicalDate})`);
    log(`  reused: ${Object.keys(reuse).join(', ') || 'nothing'}`);
    for (const r of rerun) log(`  runs:   ${r.stage} — ${r.why}`);
    if (dropped.length) log(`  params no longer in the YAML, dropped: ${dropped.join(', ')}`);
    log(`  Web UI: ${link}`);
    if (flagSet(args, 'no-follow')) {
      if (json) printJson({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId, status: 'RUNNING', rerunOf: earlier.workflowId, fromStage, reused: Object.keys(reuse), rerun, webUi: link });
      return 0;
    }
    return followToSummary(client, handle.workflowId, plan, { log, json, webUi: link, jsonFields: { rerunOf: earlier.workflowId, fromStage, reused: Object.keys(reuse), rerun } });
  },
};
