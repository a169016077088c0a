// The client as a user runs it (a child process), against a real worker that is never restarted.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { paths } from '../../stack/tools';

const exec = promisify(execFile);
const stack = useStack();
const dir = path.join(paths.var, 'test', `cli-${process.pid}`);

async function client(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.config.temporalAddress,
    TRAINFLOW_TASK_QUEUE: stack.config.taskQueue,
    REDIS_URL: stack.config.redisUrl,
  };
  try {
    const { stdout, stderr } = await exec(path.join(paths.root, 'node_modules/.bin/tsx'), [path.join(paths.root, 'client.ts'), ...args], { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function write(name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), text);
  return name;
}

describe('client', () => {
  it('validate reports every error with file:line:col and exits 1', async () => {
    const file = write('bad.yaml', `name: bad
stages:
  a: { uses: core.echoo, with: { message: hi } }
  b: { uses: core.echo, needs: [c] }
`);
    const r = await client('validate', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.yaml:3:\d+: .*core\.echoo.*Did you mean 'core\.echo'\?/m);
    expect(r.stderr).toMatch(/^bad\.yaml:4:\d+: .*'c'/m);
  });

  it('plan prints the stage order and a Mermaid graph', async () => {
    const file = write('plan.yaml', `name: planned
stages:
  a: { uses: core.echo }
  b: { uses: core.echo, needs: a }
  c: { uses: core.echo, needs: a }
  d: { uses: core.echo, needs: [b, c] }
`);
    const r = await client('plan', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('flowchart');
    expect(r.stdout).toMatch(/a\s*-->\s*b/);
  });

  it('run follows the stages; an edited YAML runs its new stage on the same worker', async () => {
    const file = write('edit.yaml', `name: editable
stages:
  first: { uses: core.echo, with: { message: one } }
`);
    const r1 = await client('run', file);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stdout).toMatch(/✓ first \(core\.echo\) succeeded/);
    expect(r1.stdout).not.toContain('second');

    write('edit.yaml', `name: editable
stages:
  first: { uses: core.echo, with: { message: one } }
  second: { uses: core.echo, needs: first, with: { message: "\${{ stages.first.outputs.message }}-two" } }
`);
    const r2 = await client('run', file);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toMatch(/✓ second \(core\.echo\) succeeded/);
    const id = /started (\S+)/.exec(r2.stdout)![1];
    const status = await client('status', id);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/COMPLETED/);
    expect(status.stdout).toMatch(/second.*succeeded/);
  });

  it('run exits non-zero with the failing stage and its error', async () => {
    const file = write('fails.yaml', `name: fails
params:
  reason: { type: string, default: disk full }
stages:
  broken:
    uses: core.fail
    with: { message: "\${{ params.reason }}" }
    retry: { maxAttempts: 2, initialInterval: 50ms }
`);
    const r = await client('run', file, '--param', 'reason=quota exceeded');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run failed: stage 'broken' failed: .*quota exceeded \(attempt 2\)/);
  });

  it('run rejects an unknown param before starting anything', async () => {
    const file = write('params.yaml', `name: params
params:
  days: { type: integer, default: 1 }
stages:
  a: { uses: core.echo, with: { value: "\${{ params.days }}" } }
`);
    const r = await client('run', file, '--param', 'dayz=3');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown param 'dayz'/);
  });

  it('replay checks a recorded run against this checkout; reset starts a new run of a failed one', async () => {
    const file = write('replay.yaml', `name: replayable
stages:
  a: { uses: core.echo, with: { message: a } }
  b: { uses: core.fail, needs: a, with: { message: still broken }, retry: { maxAttempts: 1 } }
`);
    const r = await client('run', file);
    expect(r.code).toBe(1);
    const id = /started (\S+)/.exec(r.stdout)![1];
    const replay = await client('replay', id);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain('replayed without a determinism error');
    const reset = await client('reset', id);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(new RegExp(`reset ${id} to event \\d+: new run \\S+`));
  });
});
