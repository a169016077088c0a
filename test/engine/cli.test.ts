// The client as a user runs it (a child process), against a real worker that is never restarted.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { clientRunner } from '../support/client-process';
import { paths } from '../../stack/tools';

const stack = useStack();
const dir = path.join(paths.var, 'test', `cli-${process.pid}`);
const client = clientRunner(() => stack.config, dir);

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
    const mermaid = await client('plan', file, '--mermaid');
    expect(mermaid.stdout.trimStart()).toMatch(/^flowchart/);
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
  }, 120_000); // replay bundles the workflows with webpack: slow on a loaded machine

  it('--json gives scripts one JSON document: run, status and validate', async () => {
    const file = write('json.yaml', `name: jsonable
stages:
  a: { uses: core.echo, with: { message: hi } }
`);
    const r = await client('run', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run).toMatchObject({ status: 'COMPLETED', state: { pipeline: 'jsonable', stages: { a: { status: 'succeeded', outputs: { message: 'hi' } } } } });
    expect(r.stderr).toMatch(/✓ a \(core\.echo\) succeeded/); // progress goes to stderr
    const status = await client('status', run.workflowId, '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ workflowId: run.workflowId, status: 'COMPLETED', state: { stages: { a: { status: 'succeeded' } } } });
    const bad = write('bad-json.yaml', 'name: x\nstages:\n  a: { uses: nope }\n');
    const v = await client('validate', file, bad, '--json');
    expect(v.code).toBe(1);
    const results = JSON.parse(v.stdout);
    expect(results[0]).toMatchObject({ file, ok: true, errors: [] });
    expect(results[1]).toMatchObject({ file: bad, ok: false, errors: [{ line: 3, message: expect.stringMatching(/unknown activity type 'nope'/) }] });
  });

  it('refuses an unknown flag instead of running with defaults', async () => {
    const r = await client('run', 'whatever.yaml', '--no-folow');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --no-folow for 'client run'. Did you mean --no-follow\?/);
  });
});
