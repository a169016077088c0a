// Trainflow's command line. `tsx client.ts <command>` or `npm run client -- <command>`.
import { loadConfig, STACK_PORTS } from './config';
import { parseArgs } from './cli/args';
import { compileFile, compileOrExit } from './cli/compile-file';
import { connectClient } from './cli/connect';
import { failureMessage, followRun, startRun } from './cli/run';
import { runStatus } from './cli/status';
import { deleteSchedule, upsertSchedule } from './cli/schedule';
import { resetToLastGoodStage } from './cli/reset';
import { describePlan, formatError, planToMermaid } from './dsl';

const USAGE = `usage: client <command>
  validate <file>...                    check pipelines; every error as file:line:col
  plan <file>                           the resolved DAG and its Mermaid graph
  run <file> [--param k=v ...] [--id ID] [--no-follow]
                                        start a run and follow its stages
  status <workflow-id>                  a run's state, stage by stage
  reset <workflow-id>                   re-run a failed run from after its last completed stage
  replay <workflow-id>                  replay a run's history on this checkout (determinism check)
  schedule <file>                       create or update the pipeline's schedule
  unschedule <pipeline-name>            delete it
  trades import <file> [--stream S]     load closed trades (JSON lines or CSV) into the stream`;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const [cmd, ...rest] = args.positionals;
  const config = loadConfig();
  switch (cmd) {
    case 'validate': {
      if (!rest.length) break;
      let bad = 0;
      for (const file of rest) {
        const { plan, errors } = compileFile(file);
        for (const e of errors) console.error(formatError(e));
        if (plan) console.log(`${file}: ok (${plan.stages.length} stages, plan ${plan.hash.slice(0, 12)})`);
        else bad++;
      }
      return bad ? 1 : 0;
    }
    case 'plan': {
      if (!rest[0]) break;
      const plan = compileOrExit(rest[0]);
      if (!args.flags.mermaid) console.log(describePlan(plan), '\n');
      console.log(planToMermaid(plan));
      return 0;
    }
    case 'run': {
      if (!rest[0]) break;
      const plan = compileOrExit(rest[0]);
      const client = await connectClient(config);
      const handle = await startRun(client, config, plan, { params: args.params, workflowId: args.flags.id as string | undefined });
      console.log(`started ${handle.workflowId}\n  Web UI: http://localhost:${STACK_PORTS.temporalUi}/namespaces/${config.namespace}/workflows/${handle.workflowId}`);
      if (args.flags['no-follow']) return 0;
      try {
        await followRun(client, handle.workflowId, plan);
        console.log(`run succeeded: ${handle.workflowId}`);
        return 0;
      } catch (err) {
        console.error(`run failed: ${failureMessage(err)}`);
        return 1;
      }
    }
    case 'status': {
      if (!rest[0]) break;
      return runStatus(await connectClient(config), rest[0]);
    }
    case 'reset': {
      if (!rest[0]) break;
      const client = await connectClient(config);
      const r = await resetToLastGoodStage(client, rest[0], args.flags.reason as string | undefined);
      console.log(`reset ${r.workflowId} to event ${r.eventId}: new run ${r.runId}`);
      return 0;
    }
    case 'replay': {
      if (!rest[0]) break;
      const { replayRun } = await import('./cli/replay');
      await replayRun(await connectClient(config), rest[0], args.flags.run as string | undefined);
      console.log(`${rest[0]}: replayed without a determinism error`);
      return 0;
    }
    case 'schedule': {
      if (!rest[0]) break;
      const plan = compileOrExit(rest[0]);
      console.log(await upsertSchedule(await connectClient(config), config, plan, rest[0]));
      return 0;
    }
    case 'unschedule': {
      if (!rest[0]) break;
      console.log(await deleteSchedule(await connectClient(config), rest[0]));
      return 0;
    }
    case 'trades': {
      if (rest[0] !== 'import' || !rest[1]) break;
      const { runTradesImport } = await import('./activities/trades/import');
      return runTradesImport([rest[1], ...(args.flags.stream ? ['--stream', String(args.flags.stream)] : [])]);
    }
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
