// `client outputs <workflow-id> [stage]`: what a run's stages returned (references and counts:
// file paths, Redis keys, hashes, metrics), from its result or, while it runs, its status query.
import { connectClient } from '../connect';
import { loadRunStatus } from '../status';
import { checkStageName } from '../stage-name';
import { flagString } from '../args';
import { printJson, type Command } from '../command';

const oneLine = (v: unknown, width = 160): string => {
  const s = JSON.stringify(v) ?? 'null';
  return s.length > width ? `${s.slice(0, width - 1)}…` : s;
};

export const outputsCommand: Command = {
  name: 'outputs',
  args: '<workflow-id> [stage]',
  positionals: { min: 1, max: 2 },
  summary: "a run's stage outputs (one stage in full, or every stage on one line each)",
  details: 'A fan-out stage\'s outputs are the list of its items\' outputs, in item order (null until an item is done).',
  flags: [{ name: 'run', type: 'string', value: 'RUN_ID', help: 'a run of the workflow other than its latest' }],
  async run({ args, config, json }) {
    const [workflowId, stage] = args.positionals;
    const view = await loadRunStatus(await connectClient(config), workflowId, flagString(args, 'run'));
    if (!view.state) throw new Error(`${workflowId}: no stage outputs available (${view.stateUnavailable ?? view.status})`);
    const stages = view.state.stages;
    if (stage !== undefined) {
      checkStageName(stage, Object.keys(stages), workflowId);
      const s = stages[stage];
      if (json) printJson(s.outputs ?? null);
      else if (s.outputs === undefined) console.log(`(stage '${stage}' is ${s.status}: no outputs${s.error ? ` — ${s.error}` : ''})`);
      else console.log(JSON.stringify(s.outputs, null, 2));
      return 0;
    }
    if (json) {
      printJson(Object.fromEntries(Object.entries(stages).map(([id, s]) => [id, { status: s.status, outputs: s.outputs ?? null }])));
      return 0;
    }
    const width = Math.max(...Object.keys(stages).map((id) => id.length));
    for (const [id, s] of Object.entries(stages)) console.log(`${id.padEnd(width)}  ${s.status === 'succeeded' ? oneLine(s.outputs) : `(${s.status})`}`);
    return 0;
  },
};
