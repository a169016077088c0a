// `client logs <workflow-id> [stage]`: the activity log lines of a run (every attempt's start,
// its own log lines, completion or failure), each with its run and stage.
import path from 'node:path';
import { activityLogPath } from '../../activities/activity-log';
import { connectClient } from '../connect';
import { renderLogLine, stageLogs } from '../activity-logs';
import { flagString } from '../args';
import { printJson, type Command } from '../command';

export const logsCommand: Command = {
  name: 'logs',
  args: '<workflow-id> [stage]',
  positionals: { min: 1, max: 2 },
  summary: "a run's activity log, stage by stage",
  details: [
    'The worker appends one JSON line per activity event (start, log, done, fail) with workflowId, runId,',
    'activityId, activityType and attempt to <TRAINFLOW_LOG_DIR>/activities.jsonl (default var/log/) on its machine,',
    'rotated by size into activities.jsonl.1, .2, … (TRAINFLOW_ACTIVITY_LOG_MAX_BYTES, default 64M;',
    "TRAINFLOW_ACTIVITY_LOG_KEEP, default 5). This command reads that file and its rotations and names each line's",
    "stage from the run's history. Run it where the worker runs (or point --log-file at a copy; its rotations",
    'beside it are read too). The worker’s own output (the local stack) is var/log/worker.log.',
  ].join('\n'),
  flags: [{ name: 'log-file', type: 'string', value: 'FILE', help: 'the activity log to read, with its rotations FILE.1, FILE.2, … (default <log dir>/activities.jsonl)' }],
  async run({ args, config, json }) {
    const [workflowId, stage] = args.positionals;
    const file = path.resolve(flagString(args, 'log-file') ?? activityLogPath(config.logDir));
    const client = await connectClient(config);
    await client.workflow.getHandle(workflowId).describe(); // a wrong id fails here, not as "no lines"
    const entries = await stageLogs(client, file, workflowId, stage);
    if (json) {
      printJson(entries);
      return 0;
    }
    if (!entries.length) {
      console.error(`no activity log lines for ${workflowId}${stage ? ` stage '${stage}'` : ''} in ${file}${stage ? '' : ' (is this the machine the worker runs on?)'}`);
      return stage ? 0 : 1;
    }
    for (const e of entries) console.log(renderLogLine(e));
    return 0;
  },
};
