// The argv reader and the dispatcher: pure logic, no servers.
import { describe, expect, it, vi } from 'vitest';
import { parseArgs, UsageError, type FlagSpec } from '../../cli/args';
import { runCli, type Command } from '../../cli/command';
import { loadConfig } from '../../config';

const flags: FlagSpec[] = [
  { name: 'from', type: 'string', value: 'D', help: '' },
  { name: 'dry-run', type: 'boolean', help: '' },
  { name: 'tag', type: 'list', value: 'T', help: '' },
  { name: 'param', type: 'list', short: 'p', value: 'k=v', help: '' },
];

describe('parseArgs', () => {
  it('reads positionals, values, booleans, lists and params', () => {
    const a = parseArgs(['x', '--from', '2023-01-01', '--dry-run', '--tag=a', '--tag', 'b', '-p', 'k=v=w', '--param', 'n=1', '--', '--not-a-flag'], flags, 'cmd');
    expect(a.positionals).toEqual(['x', '--not-a-flag']);
    expect({ ...a.flags }).toEqual({ from: '2023-01-01', 'dry-run': true, tag: ['a', 'b'] });
    expect({ ...a.params }).toEqual({ k: 'v=w', n: '1' });
  });

  it('keeps YAML-named params off Object.prototype', () => {
    const a = parseArgs(['--param', '__proto__=x', '--param', 'constructor=y'], flags, 'cmd');
    expect(Object.getPrototypeOf(a.params)).toBeNull();
    expect(a.params['__proto__']).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses unknown flags, missing values and values on booleans, naming the command', () => {
    expect(() => parseArgs(['--frm', 'x'], flags, 'backfill')).toThrow(/unknown flag --frm for 'client backfill'. Did you mean --from\?/);
    expect(() => parseArgs(['-x'], flags, 'cmd')).toThrow(UsageError);
    expect(() => parseArgs(['--from'], flags, 'cmd')).toThrow(/--from needs a value \(--from D\)/);
    expect(() => parseArgs(['--from', '--dry-run'], flags, 'cmd')).toThrow(/--from needs a value/);
    expect(() => parseArgs(['--dry-run=yes'], flags, 'cmd')).toThrow(/--dry-run takes no value/);
    expect(() => parseArgs(['--param', 'novalue'], flags, 'cmd')).toThrow(/--param needs key=value, got 'novalue'/);
  });
});

describe('runCli', () => {
  const seen: unknown[] = [];
  const table: Command[] = [
    { name: 'one', args: '<a>', positionals: { min: 1, max: 1 }, summary: 'first', flags, run: async (c) => (seen.push(c.args.positionals, c.json), 0) },
    { name: 'grp sub', args: '', positionals: { min: 0, max: 0 }, summary: 'nested', flags: [], run: async () => 3 },
  ];
  const config = loadConfig({});

  it('dispatches one- and two-word commands, prints help, refuses bad usage with exit 2', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await runCli(table, ['one', 'a', '--json'], config)).toBe(0);
      expect(seen).toEqual([['a'], true]);
      expect(await runCli(table, ['grp', 'sub'], config)).toBe(3);
      expect(await runCli(table, ['one', '--help'], config)).toBe(0);
      expect(String(out.mock.calls.at(-1)![0])).toMatch(/^usage: client one <a> \[flags\][\s\S]*--dry-run[\s\S]*--json/);
      expect(await runCli(table, ['one'], config)).toBe(2);
      expect(String(err.mock.calls.at(-1)![0])).toMatch(/missing argument/);
      expect(await runCli(table, ['one', 'a', 'b'], config)).toBe(2);
      expect(String(err.mock.calls.at(-1)![0])).toMatch(/unexpected argument 'b'/);
      expect(await runCli(table, ['onw'], config)).toBe(2);
      expect(String(err.mock.calls.at(-1)![0])).toMatch(/unknown command 'onw'. Did you mean 'one'\?/);
      expect(await runCli(table, ['grp', 'nope'], config)).toBe(2);
      expect(String(err.mock.calls.at(-1)![0])).toMatch(/'client grp' needs a subcommand \('nope' is not one\)/);
      expect(await runCli(table, [], config)).toBe(2);
      expect(await runCli(table, ['help', 'grp', 'sub'], config)).toBe(0);
      expect(String(out.mock.calls.at(-1)![0])).toMatch(/^usage: client grp sub/);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
