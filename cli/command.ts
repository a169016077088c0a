// What a client command is, and the dispatcher client.ts hands its table to: finds the command
// (one or two words: `run`, `schedule apply`), parses its flags, prints its --help, and turns
// usage errors into exit code 2 with a message on stderr.
import { loadConfig, type Config } from '../config';
import { closest } from '../dsl/suggest';
import { COMMON_FLAGS, parseArgs, UsageError, type Args, type FlagSpec } from './args';

export interface CommandContext {
  args: Args;
  config: Config;
  /** `--json`: print one JSON document on stdout (progress, if any, goes to stderr). */
  json: boolean;
}

export interface Command {
  /** One or two words: 'run', 'schedule apply'. */
  name: string;
  /** Positional arguments as shown in usage: '<file>...', '<workflow-id> [stage]'. */
  args: string;
  /** At least / at most this many positionals (max undefined: any number). */
  positionals: { min: number; max?: number };
  summary: string;
  /** Longer help: semantics, examples. */
  details?: string;
  flags: FlagSpec[];
  run(ctx: CommandContext): Promise<number>;
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

function flagLine(f: FlagSpec): string {
  const names = `${f.short ? `-${f.short}, ` : ''}--${f.name}${f.type === 'boolean' ? '' : ` ${f.value ?? 'VALUE'}`}${f.type === 'list' ? ' ...' : ''}`;
  return `  ${names.padEnd(28)} ${f.help}`;
}

export function commandHelp(cmd: Command): string {
  return [
    `usage: client ${cmd.name}${cmd.args ? ` ${cmd.args}` : ''}${cmd.flags.length ? ' [flags]' : ''}`,
    '',
    cmd.summary,
    ...(cmd.details ? ['', cmd.details] : []),
    '',
    'flags:',
    ...[...cmd.flags, ...COMMON_FLAGS].map(flagLine),
  ].join('\n');
}

export function overview(table: Command[]): string {
  const width = Math.max(...table.map((c) => `${c.name} ${c.args}`.length)) + 2;
  return [
    'usage: client <command> [args] [flags]    (client <command> --help for its flags)',
    '',
    ...table.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)} ${c.summary}`),
  ].join('\n');
}

function find(table: Command[], argv: string[]): { cmd?: Command; rest: string[] } {
  const two = argv.length >= 2 ? table.find((c) => c.name === `${argv[0]} ${argv[1]}`) : undefined;
  if (two) return { cmd: two, rest: argv.slice(2) };
  const one = table.find((c) => c.name === argv[0]);
  return { cmd: one, rest: argv.slice(1) };
}

/** Runs argv against the table; resolves to the process exit code. */
export async function runCli(table: Command[], argv: string[], config: Config = loadConfig()): Promise<number> {
  if (!argv.length || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    const topic = argv[0] === 'help' ? find(table, argv.slice(1)).cmd : undefined;
    console.log(topic ? commandHelp(topic) : overview(table));
    return argv.length ? 0 : 2;
  }
  const { cmd, rest } = find(table, argv);
  if (!cmd) {
    const group = table.filter((c) => c.name.startsWith(`${argv[0]} `));
    if (group.length) {
      const file = argv[1] && /\.ya?ml$/.test(argv[1]) ? group.find((c) => /\bfile/.test(c.args)) : undefined;
      const hint = file ? `\n(a file is given to '${file.name}': client ${file.name} ${argv.slice(1).join(' ')})` : '';
      console.error(`'client ${argv[0]}' needs a subcommand${argv[1] ? ` ('${argv[1]}' is not one)` : ''}:\n${overview(group).split('\n').slice(2).join('\n')}${hint}`);
      return 2;
    }
    const guess = closest(argv[0], new Set(table.map((c) => c.name.split(' ')[0])));
    console.error(`unknown command '${argv[0]}'${guess ? `. Did you mean '${guess}'?` : ''} (see 'client --help')`);
    return 2;
  }
  let args: Args;
  try {
    args = parseArgs(rest, cmd.flags, cmd.name);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(err.message);
    return 2;
  }
  if (args.flags.help) {
    console.log(commandHelp(cmd));
    return 0;
  }
  const n = args.positionals.length;
  if (n < cmd.positionals.min || (cmd.positionals.max !== undefined && n > cmd.positionals.max)) {
    const extra = cmd.positionals.max !== undefined && n > cmd.positionals.max ? `unexpected argument '${args.positionals[cmd.positionals.max]}'` : 'missing argument';
    console.error(`${extra}\nusage: client ${cmd.name} ${cmd.args} (see 'client ${cmd.name} --help')`);
    return 2;
  }
  try {
    return await cmd.run({ args, config, json: args.flags.json === true });
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}
