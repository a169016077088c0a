// `client unschedule <pipeline>`: deletes the pipeline's Temporal schedule.
import { connectClient } from '../connect';
import { deleteSchedule } from '../schedule';
import { printJson, type Command } from '../command';

export const unscheduleCommand: Command = {
  name: 'unschedule',
  args: '<pipeline>',
  positionals: { min: 1, max: 1 },
  summary: "delete the pipeline's schedule",
  flags: [],
  async run({ args, config, json }) {
    const message = await deleteSchedule(await connectClient(config), args.positionals[0]);
    if (json) printJson({ schedule: args.positionals[0], deleted: true });
    else console.log(message);
    return 0;
  },
};
