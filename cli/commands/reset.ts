// `client reset <workflow-id> [--from-stage S] [--follow]`: a run again from a stage (or, without
// --from-stage, from after its last completed stage), as a Temporal Reset: the stages before keep
// their results. Resetting a run that completed warns: its later stages (a publish) run again.
import { followToSummary } from '../follow-to-summary';
import { connectClient } from '../connect';
import { resetToLastGoodStage } from '../reset';
import { resetFromStage } from '../reset-from-stage';
import { planOfRun } from '../run-history';
import { runLink } from '../web-ui';
import { flagSet, flagString } from '../args';
import { printJson, type Command } from '../command';
import type { Plan } from '../../dsl/plan';

export const resetCommand: Command = {
  name: 'reset',
  args: '<workflow-id>',
  positionals: { min: 1, max: 1 },
  summary: 'a run again from a stage (default: from after its last completed stage)',
  details: [
    "--from-stage S resets to the workflow task that started S's first activity: the stages that had",
    'finished before it keep their outputs; S, what started with it and everything after run again.',
    'Use it after fixing what made S fail (a file, a service); the plan is the run\'s own, so a YAML fix',
    'needs a new run instead. Resetting a completed run warns (a publish stage would run again);',
    'resetting a running run terminates it. --follow prints the new run\'s stages and its summary',
    '(exit code as for client run).',
  ].join('\n'),
  flags: [
    { name: 'from-stage', type: 'string', value: 'STAGE', help: 'run again from this stage' },
    { name: 'run', type: 'string', value: 'RUN_ID', help: 'reset this run of the workflow (default: its latest)' },
    { name: 'follow', type: 'boolean', help: "follow the new run's stages until it ends" },
    { name: 'reason', type: 'string', value: 'TEXT', help: "recorded in the run's history" },
  ],
  async run({ args, config, json }) {
    const workflowId = args.positionals[0];
    const stage = flagString(args, 'from-stage');
    const client = await connectClient(config);
    const log = json ? console.error : console.log;
    let result: Record<string, unknown>;
    let runId: string;
    let plan: Plan | undefined;
    if (stage !== undefined) {
      const r = await resetFromStage(client, workflowId, stage, { runId: flagString(args, 'run'), reason: flagString(args, 'reason') });
      if (r.previousStatus === 'COMPLETED') {
        console.error(`warning: ${workflowId} had completed; stage '${stage}' and every stage after it run again (${r.rerun.join(', ')}), and a publish stage among them may publish a new version`);
      } else if (r.previousStatus === 'RUNNING') {
        console.error(`warning: ${workflowId} was running: that run is terminated and the new one goes on from stage '${stage}'`);
      }
      log(`reset ${workflowId} to event ${r.eventId} (before stage '${stage}' started): new run ${r.runId}`);
      log(`  kept: ${r.kept.join(', ') || '(none)'}\n  runs again: ${r.rerun.join(', ')}`);
      ({ plan, runId } = r);
      const { plan: _plan, ...rest } = r;
      result = rest;
    } else {
      if (flagString(args, 'run')) throw new Error('--run goes with --from-stage');
      const r = await resetToLastGoodStage(client, workflowId, flagString(args, 'reason'));
      log(`reset ${r.workflowId} to event ${r.eventId}: new run ${r.runId}`);
      runId = r.runId;
      result = { ...r };
    }
    if (!flagSet(args, 'follow')) {
      if (json) printJson(result);
      return 0;
    }
    plan ??= await planOfRun(client, workflowId, runId);
    if (!plan) throw new Error(`${workflowId}: cannot find the run's plan in its history to follow it`);
    const link = runLink(config, workflowId, runId);
    log(`  Web UI: ${link}`);
    return followToSummary(client, workflowId, plan, {
      log,
      json,
      webUi: link,
      jsonFields: result,
      statusOf: async () => (await client.workflow.getHandle(workflowId, runId).describe()).status.name,
    });
  },
};
