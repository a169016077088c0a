// `client schedule apply|list|pause|resume|trigger`: the pipelines' Temporal schedules.
import type { Client } from '@temporalio/client';
import { connectClient } from '../connect';
import { applyScheduleChanges, planScheduleChanges, renderChanges } from '../schedule-apply';
import { SCHEDULE_PREFIX, scheduleIdOf, sourceOf, withSchedule } from '../schedule';
import { flagSet, flagString, type FlagSpec } from '../args';
import { printJson, type Command } from '../command';

export const scheduleApplyCommand: Command = {
  name: 'schedule apply',
  args: '[file...]',
  positionals: { min: 0 },
  summary: "make Temporal's schedules match the pipelines' schedule: blocks; print the diff",
  details: [
    'Without files: every *.yaml in the pipelines folder (TRAINFLOW_PIPELINES_DIR, default pipelines/);',
    'then a pipeline-* schedule of this task queue that no file declares is deleted. With files: only the',
    'pipelines they define (created, updated, or deleted when their file has no schedule: block).',
    'A paused schedule stays paused. Scheduled runs get the workflow id <pipeline>-<scheduled time>.',
    '  + create   ~ update (field: before → after)   - delete   = unchanged',
  ].join('\n'),
  flags: [{ name: 'dry-run', type: 'boolean', help: 'print the diff, change nothing' }],
  async run({ args, config, json }) {
    const client = await connectClient(config);
    const changes = await planScheduleChanges(client, config, args.positionals);
    const dryRun = flagSet(args, 'dry-run');
    if (!dryRun) await applyScheduleChanges(client, changes);
    if (json) printJson({ dryRun, changes: changes.map(({ plan: _plan, ...c }) => c) });
    else {
      console.log(renderChanges(changes));
      const n = changes.filter((c) => c.kind !== 'unchanged').length;
      console.log(dryRun ? `dry run: ${n} change(s) not applied` : n ? `${n} change(s) applied` : 'no changes');
    }
    return 0;
  },
};

async function scheduleRows(client: Client) {
  const rows = [];
  for await (const s of client.schedule.list()) {
    if (!s.scheduleId.startsWith(SCHEDULE_PREFIX)) continue;
    const d = await client.schedule.getHandle(s.scheduleId).describe();
    const src = sourceOf(d);
    const last = d.info.recentActions.at(-1);
    rows.push({
      scheduleId: s.scheduleId,
      pipeline: src?.pipeline ?? s.scheduleId.slice(SCHEDULE_PREFIX.length),
      cron: src?.cron ?? null,
      timezone: src?.timezone ?? null,
      file: src?.file ?? null,
      taskQueue: d.action.type === 'startWorkflow' ? d.action.taskQueue : null,
      paused: d.state.paused,
      note: d.state.note ?? null,
      nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
      lastRun: last ? { scheduledAt: last.scheduledAt.toISOString(), workflowId: last.action.workflow.workflowId } : null,
    });
  }
  return rows.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export const scheduleListCommand: Command = {
  name: 'schedule list',
  args: '',
  positionals: { min: 0, max: 0 },
  summary: "the pipelines' schedules: cron, paused or not, next and last run",
  flags: [],
  async run({ config, json }) {
    const rows = await scheduleRows(await connectClient(config));
    if (json) printJson(rows);
    else if (!rows.length) console.log('no pipeline schedules (`client schedule apply` creates them from the YAML)');
    else {
      for (const r of rows) {
        console.log(
          `${r.scheduleId}  ${r.cron ? `"${r.cron}" ${r.timezone}` : '(cron unknown)'}  ${r.paused ? `PAUSED${r.note ? ` (${r.note})` : ''}` : 'active'}` +
            `  next ${r.paused ? '-' : (r.nextRuns[0] ?? '-')}  last ${r.lastRun ? `${r.lastRun.workflowId}` : '-'}${r.taskQueue !== config.taskQueue ? `  (task queue ${r.taskQueue})` : ''}`,
        );
      }
    }
    return 0;
  },
};

const noteFlag: FlagSpec = { name: 'note', type: 'string', value: 'TEXT', help: 'why (shown by schedule list and the Web UI)' };

function pauseCommand(pause: boolean): Command {
  const verb = pause ? 'pause' : 'resume';
  return {
    name: `schedule ${verb}`,
    args: '<pipeline>',
    positionals: { min: 1, max: 1 },
    summary: pause ? "stop a pipeline's schedule from starting runs" : 'let a paused schedule start runs again',
    flags: [noteFlag],
    async run({ args, config, json }) {
      const id = scheduleIdOf(args.positionals[0]);
      const note = flagString(args, 'note') ?? `${pause ? 'paused' : 'resumed'} with client schedule ${verb}`;
      await withSchedule(await connectClient(config), id, (h) => (pause ? h.pause(note) : h.unpause(note)));
      if (json) printJson({ scheduleId: id, paused: pause, note });
      else console.log(`${pause ? 'paused' : 'resumed'} ${id}`);
      return 0;
    },
  };
}

export const schedulePauseCommand = pauseCommand(true);
export const scheduleResumeCommand = pauseCommand(false);

export const scheduleTriggerCommand: Command = {
  name: 'schedule trigger',
  args: '<pipeline>',
  positionals: { min: 1, max: 1 },
  summary: "start a run of a pipeline's schedule now (its logical date is now)",
  flags: [],
  async run({ args, config, json }) {
    const client = await connectClient(config);
    const id = scheduleIdOf(args.positionals[0]);
    const runId = await withSchedule(client, id, async (h) => {
      const before = (await h.describe()).info.numActionsTaken;
      await h.trigger();
      // The schedule starts the run asynchronously: wait (briefly) to name it.
      for (let i = 0; i < 50; i++) {
        const d = await h.describe();
        if (d.info.numActionsTaken > before) return d.info.recentActions.at(-1)?.action.workflow.workflowId;
        await new Promise((r) => setTimeout(r, 200));
      }
      return undefined;
    });
    if (json) printJson({ scheduleId: id, triggered: true, workflowId: runId ?? null });
    else console.log(runId ? `triggered ${id}: started ${runId}` : `triggered ${id}, but no run started within 10 s (the overlap policy skips a run while one is in progress; see client runs)`);
    return 0;
  },
};
