// `client validate <file>...`: compiles each pipeline; every error as file:line:col.
import { formatError } from '../../dsl';
import { compileFile } from '../compile-file';
import { printJson, type Command } from '../command';

export const validateCommand: Command = {
  name: 'validate',
  args: '<file>...',
  positionals: { min: 1 },
  summary: 'check pipelines; every error as file:line:col, exit 1 on any',
  flags: [],
  async run({ args, json }) {
    const results = args.positionals.map(compileFile);
    if (json) {
      printJson(results.map((r) => ({ file: r.file, ok: !!r.plan, stages: r.plan?.stages.length, planHash: r.plan?.hash, errors: r.errors })));
    } else {
      for (const r of results) {
        for (const e of r.errors) console.error(formatError(e));
        if (r.plan) console.log(`${r.file}: ok (${r.plan.stages.length} stages, plan ${r.plan.hash.slice(0, 12)})`);
      }
    }
    return results.some((r) => !r.plan) ? 1 : 0;
  },
};
