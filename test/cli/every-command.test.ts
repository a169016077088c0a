// Every command in the client's table has its own --help, takes --json and refuses unknown flags
// before doing anything (no server is needed: the refusal comes first).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/command';
import { commands } from '../../cli/commands';
import { loadConfig } from '../../config';

// Nothing listens here: a command that tried to connect would fail, not pass.
const config = loadConfig({ TEMPORAL_ADDRESS: '127.0.0.1:1', REDIS_URL: 'redis://127.0.0.1:1' });

describe('every client command', () => {
  const out = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  afterEach(() => {
    out.mockClear();
    err.mockClear();
  });

  it.each(commands.map((c) => [c.name, c] as const))('%s: --help, --json and unknown flags', async (name, cmd) => {
    const words = name.split(' ');
    expect(await runCli(commands, [...words, '--help'], config)).toBe(0);
    const help = String(out.mock.calls[0][0]);
    expect(help).toMatch(new RegExp(`^usage: client ${name}`));
    expect(help).toContain('--json');
    for (const f of cmd.flags) expect(help).toContain(`--${f.name}`);

    expect(await runCli(commands, [...words, 'x', '--no-such-flag'], config)).toBe(2);
    expect(String(err.mock.calls[0][0])).toBe(`unknown flag --no-such-flag for 'client ${name}' (see 'client ${name} --help')`);
  });

  it('the overview lists every command', async () => {
    expect(await runCli(commands, ['--help'], config)).toBe(0);
    const text = String(out.mock.calls[0][0]);
    for (const c of commands) expect(text).toContain(`  ${c.name} `);
  });
});
