// `client backfill <pipeline> --from D --to D`: every logical date of the pipeline's schedule in
// the range that has not run, sequentially by default.
import { connectClient } from '../connect';
import { backfill, backfillRange, backfillTarget, matchingTimes, renderResult } from '../backfill';
import { flagInt, flagSet, flagString, UsageError } from '../args';
import { printJson, type Command } from '../command';

export const backfillCommand: Command = {
  name: 'backfill',
  args: '<pipeline|file>',
  positionals: { min: 1, max: 1 },
  summary: "run every missed logical date of a pipeline's schedule in a range",
  details: [
    'The dates are the times the pipeline\'s schedule (client schedule apply) matches between --from and --to:',
    'a day means that whole day (UTC), both ends included; an ISO time is taken exactly. Each date runs the',
    "current YAML with the schedule's params as workflow <pipeline>-<time> (the id its scheduled run has):",
    'a date that completed is skipped, one running now is not started twice, one that failed runs again.',
    'Exit code: 1 if a date failed, 3 if one completed without publishing, else 0.',
  ].join('\n'),
  flags: [
    { name: 'from', type: 'string', value: 'D', help: 'first day (or time) of the range (required)' },
    { name: 'to', type: 'string', value: 'D', help: 'last day (or time) of the range (required)' },
    { name: 'concurrency', type: 'string', value: 'N', help: 'dates run at once (default 1: one after the other)' },
    { name: 'dry-run', type: 'boolean', help: 'list the dates and what would run, start nothing' },
  ],
  async run({ args, config, json }) {
    const from = flagString(args, 'from');
    const to = flagString(args, 'to');
    if (!from || !to) throw new UsageError(`client backfill needs --from D and --to D (see 'client backfill --help')`);
    const { start, end } = backfillRange(from, to);
    const concurrency = flagInt(args, 'concurrency', 1);
    const dryRun = flagSet(args, 'dry-run');
    const client = await connectClient(config);
    const target = await backfillTarget(client, config, args.positionals[0]);
    const dates = await matchingTimes(client, target.scheduleId, start, end);
    const log = json ? console.error : console.log;
    log(`${target.plan.name}: ${dates.length} logical date(s) from ${start.toISOString()} to ${end.toISOString()}${dryRun ? ' (dry run)' : concurrency > 1 ? `, ${concurrency} at a time` : ', one at a time'}`);
    const results = await backfill(client, config, target, dates, { concurrency, dryRun, onResult: (r) => log(renderResult(r)) });
    const ran = results.filter((r) => r.kind === 'ran');
    const failed = ran.filter((r) => r.kind === 'ran' && r.error).length;
    const unpublished = ran.filter((r) => r.kind === 'ran' && !r.error && (r.outcome === 'gate-failed' || r.outcome === 'nothing-published')).length;
    const count = (k: string) => results.filter((r) => r.kind === k).length;
    if (json) printJson({ pipeline: target.plan.name, dryRun, results });
    else console.log(`backfill ${target.plan.name}: ${ran.length} ran (${failed} failed), ${count('done')} already done, ${count('running')} running now${dryRun ? `, ${count('would-run')} would run` : ''}`);
    return failed ? 1 : unpublished ? 3 : 0;
  },
};
