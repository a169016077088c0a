// A run's details (the Markdown the Web UI shows on the run's page, from the SDK's
// __temporal_workflow_metadata query): one line per stage with its status and fan-out progress,
// the pause while paused, the outcome at the end. The interpreter writes them once per activation,
// so they must still be current after every stage end. Real dev server and worker.
import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { useStack } from '../support/stack';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { pauseUpdate, resumeUpdate, statusQuery } from '../../workflows/messages';

const stack = useStack();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function details(handle: WorkflowHandle): Promise<string> {
  const meta = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
  return meta.currentDetails ?? '';
}

async function untilDetails(handle: WorkflowHandle, ok: (d: string) => boolean, what: string): Promise<string> {
  const end = Date.now() + 30_000;
  for (;;) {
    const d = await details(handle).catch(() => '');
    if (ok(d)) return d;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; details were:\n${d}`);
    await sleep(100);
  }
}

describe('run details', () => {
  it('list every stage with its final status and the outcome, after a wide run', async () => {
    const n = 150;
    const plan = compileYaml(
      `name: wide-details\nstages:\n` +
        Array.from({ length: n }, (_, i) => `  s${i}: { uses: core.sleep, with: { ms: ${50 + (i % 7) * 40} }, timeout: { heartbeat: 5s } }`).join('\n') +
        `\n  each: { uses: core.echo, needs: s0, forEach: "\${{ range(5) }}", concurrency: 2, with: { value: "\${{ item }}" } }` +
        `\n  never: { uses: core.echo, needs: each, when: "\${{ false }}" }\n`,
    );
    const handle = await startRun(stack.client, stack.config, plan);
    await handle.result();
    const d = await details(handle);
    expect(d).toMatch(/^\*\*Outcome: succeeded\*\* — succeeded \(152 stages/);
    for (let i = 0; i < n; i++) expect(d).toContain(`- **s${i}** (core.sleep): succeeded\n`);
    expect(d).toContain('- **each** (core.echo): succeeded (5/5)\n');
    expect(d.endsWith('- **never** (core.echo): skipped')).toBe(true);
  });

  it('show the pause and the running stage while paused, and the resume', async () => {
    const plan = compileYaml(`
name: paused-details
stages:
  first: { uses: core.sleep, with: { ms: 1500 }, timeout: { heartbeat: 2s } }
  quick: { uses: core.echo, with: { message: quick } }
  second: { uses: core.echo, needs: [first, quick] }
`);
    const handle = await startRun(stack.client, stack.config, plan);
    await untilDetails(handle, (d) => d.includes('- **quick** (core.echo): succeeded'), 'quick to succeed');
    await handle.executeUpdate(pauseUpdate, { args: ['maintenance'] });
    const paused = await details(handle);
    expect(paused).toMatch(/^\*\*Paused\*\* since \S+ \(maintenance\): `client resume` continues\n\n/);
    expect(paused).toContain('- **first** (core.sleep): running\n');
    // The stage that ends while paused shows, and the next one waits.
    const ended = await untilDetails(handle, (d) => d.includes('- **first** (core.sleep): succeeded'), 'first to finish while paused');
    expect(ended).toMatch(/^\*\*Paused\*\*/);
    expect(ended).toContain('- **second** (core.echo): pending');
    expect((await handle.query(statusQuery)).stages.second.status).toBe('pending');
    await handle.executeUpdate(resumeUpdate);
    await handle.result();
    const end = await details(handle);
    expect(end).not.toContain('Paused');
    expect(end).toMatch(/^\*\*Outcome: succeeded\*\*/);
    expect(end).toContain('- **second** (core.echo): succeeded');
  });
});
