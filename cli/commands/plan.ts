// `client plan <file>`: the resolved DAG (stage order, parallel groups) and its Mermaid graph.
import { describePlan, planToMermaid } from '../../dsl';
import { compileOrThrow } from '../compile-file';
import { printJson, type Command } from '../command';

export const planCommand: Command = {
  name: 'plan',
  args: '<file>',
  positionals: { min: 1, max: 1 },
  summary: 'the resolved DAG and its Mermaid graph',
  details: 'With --mermaid only the flowchart is printed (paste it into a Markdown file or mermaid.live).\nWith --json the compiled plan itself: what a run carries in its workflow input.',
  flags: [{ name: 'mermaid', type: 'boolean', help: 'print only the Mermaid flowchart' }],
  async run({ args, json }) {
    const plan = compileOrThrow(args.positionals[0]);
    if (json) printJson(plan);
    else {
      if (!args.flags.mermaid) console.log(describePlan(plan), '\n');
      console.log(planToMermaid(plan));
    }
    return 0;
  },
};
