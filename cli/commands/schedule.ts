// `client schedule <file>`: creates or updates the pipeline's Temporal schedule.
import { connectClient } from '../connect';
import { compileOrThrow } from '../compile-file';
import { upsertSchedule } from '../schedule';
import { printJson, type Command } from '../command';

export const scheduleCommand: Command = {
  name: 'schedule',
  args: '<file>',
  positionals: { min: 1, max: 1 },
  summary: "create or update the pipeline's schedule",
  flags: [],
  async run({ args, config, json }) {
    const file = args.positionals[0];
    const message = await upsertSchedule(await connectClient(config), config, compileOrThrow(file), file);
    if (json) printJson({ file, message });
    else console.log(message);
    return 0;
  },
};
