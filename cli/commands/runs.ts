// `client runs [--pipeline P] [--status S] [--since D]`: pipeline runs, newest first.
import { connectClient } from '../connect';
import { listRuns, renderRuns, runsQuery, STATUS_VALUES } from '../runs-list';
import { flagInt, flagString } from '../args';
import { printJson, type Command } from '../command';

export const runsCommand: Command = {
  name: 'runs',
  args: '',
  positionals: { min: 0, max: 0 },
  summary: 'list runs: id, pipeline, logical date, status, gate, published version, duration',
  details: [
    `--status: ${STATUS_VALUES.join(' | ')}`,
    '  (published, gate-failed, nothing-published and succeeded are outcomes of completed runs).',
    'Runs that continued as new are listed once, by their last execution. Temporal’s own filter syntax',
    'works in the Web UI too: Pipeline = "demo-training" AND ExecutionStatus = "Failed".',
  ].join('\n'),
  flags: [
    { name: 'pipeline', type: 'string', value: 'NAME', help: 'only runs of this pipeline' },
    { name: 'status', type: 'string', value: 'S', help: 'only runs with this status or outcome' },
    { name: 'since', type: 'string', value: 'D', help: 'started at or after a date (2023-04-01) or a time ago (7d, 12h)' },
    { name: 'limit', type: 'string', value: 'N', help: 'at most N runs (default 20)' },
  ],
  async run({ args, config, json }) {
    const filter = { pipeline: flagString(args, 'pipeline'), status: flagString(args, 'status'), since: flagString(args, 'since'), limit: flagInt(args, 'limit', 20) };
    runsQuery(filter); // bad --status / --since are usage errors before connecting
    const rows = await listRuns(await connectClient(config), filter);
    if (json) printJson(rows);
    else console.log(rows.length ? renderRuns(rows) : 'no runs match');
    return 0;
  },
};
