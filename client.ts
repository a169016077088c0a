// Trainflow's command line: `tsx client.ts <command>` or `npm run client -- <command>`.
// The commands are in cli/commands/ (one file each, table in index.ts); `client <command> --help`
// shows a command's flags.
import { runCli } from './cli/command';
import { commands } from './cli/commands';

runCli(commands, process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
