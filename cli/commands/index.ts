// The client's command table: one file per command beside this one. Order is the order of
// `client --help`.
import type { Command } from '../command';
import { validateCommand } from './validate';
import { planCommand } from './plan';
import { runCommand } from './run';
import { statusCommand } from './status';
import { resetCommand } from './reset';
import { replayCommand } from './replay';
import { scheduleCommand } from './schedule';
import { unscheduleCommand } from './unschedule';
import { tradesImportCommand } from './trades-import';

export const commands: Command[] = [
  validateCommand,
  planCommand,
  runCommand,
  statusCommand,
  resetCommand,
  replayCommand,
  scheduleCommand,
  unscheduleCommand,
  tradesImportCommand,
];
