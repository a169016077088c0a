// The client's command table: one file per command beside this one. Order is the order of
// `client --help`.
import type { Command } from '../command';
import { validateCommand } from './validate';
import { planCommand } from './plan';
import { runCommand } from './run';
import { statusCommand } from './status';
import { runsCommand } from './runs';
import { outputsCommand } from './outputs';
import { logsCommand } from './logs';
import { resetCommand } from './reset';
import { pauseCommand, resumeCommand } from './pause';
import { cancelCommand } from './cancel';
import { rerunCommand } from './rerun';
import { replayCommand } from './replay';
import { scheduleApplyCommand, scheduleListCommand, schedulePauseCommand, scheduleResumeCommand, scheduleTriggerCommand } from './schedule';
import { backfillCommand } from './backfill';
import { unscheduleCommand } from './unschedule';
import { tradesImportCommand } from './trades-import';

export const commands: Command[] = [
  validateCommand,
  planCommand,
  runCommand,
  statusCommand,
  runsCommand,
  outputsCommand,
  logsCommand,
  pauseCommand,
  resumeCommand,
  cancelCommand,
  resetCommand,
  rerunCommand,
  replayCommand,
  scheduleApplyCommand,
  scheduleListCommand,
  schedulePauseCommand,
  scheduleResumeCommand,
  scheduleTriggerCommand,
  unscheduleCommand,
  backfillCommand,
  tradesImportCommand,
];
