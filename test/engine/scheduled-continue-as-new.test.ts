// A scheduled run (the scheduledPipeline workflow a Temporal schedule starts) that grows past its
// history budget continues as new as itself: the same workflow type and file, the plan it loaded
// when it started, its progress and its logical date. Real dev server, worker and Redis.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { paths } from '../../stack/tools';
import type { RunState } from '../../workflows/run-state';

const dir = path.join(paths.var, 'test', `scheduled-can-${randomUUID().slice(0, 8)}`);
const stack = useStack({ pipelinesDir: dir });

describe('scheduled runs and continue-as-new', () => {
  it('a long scheduled run continues as a scheduledPipeline of its plan, keeping every result', async () => {
    const name = `scheduled-long-${randomUUID().slice(0, 6)}`;
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'long.yaml');
    writeFileSync(file, `name: ${name}
stages:
  each: { uses: core.echo, forEach: "\${{ range(8) }}", concurrency: 1, with: { value: "\${{ item }}" } }
  after: { uses: core.echo, needs: each, with: { message: "\${{ run.logicalDate }}" } }
`);
    const workflowId = `${name}-run`;
    const handle = await stack.client.workflow.start('scheduledPipeline', {
      taskQueue: stack.config.taskQueue,
      workflowId,
      args: [{ file: 'long.yaml', maxHistoryEvents: 25 }],
    });
    const state = (await handle.result()) as RunState;
    expect(state.status).toBe('succeeded');
    expect(state.pipeline).toBe(name);
    expect(state.continuedAsNew).toBeGreaterThanOrEqual(1);
    expect(state.stages.each.outputs).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((value) => ({ value })));
    // The logical date is the first run's, carried over.
    expect(state.stages.after.outputs).toEqual({ message: state.logicalDate });

    const first = await stack.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).fetchHistory();
    const handOver = first.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes;
    expect(handOver?.workflowType?.name).toBe('scheduledPipeline');
    const last = await stack.client.workflow.getHandle(workflowId).describe();
    expect(last.runId).not.toBe(handle.firstExecutionRunId);
    expect(last.type).toBe('scheduledPipeline');
    expect(last.status.name).toBe('COMPLETED');
    expect(last.searchAttributes.Pipeline).toEqual([name]);
  }, 120_000);
});
