// The baseline for the interpreter benchmark: the same no-op activities called from
// hand-written workflows, bundled beside the interpreter so both run on one worker.
import { proxyActivities } from '@temporalio/workflow';

export { pipeline } from '../../workflows/pipeline';

const { 'core.noop': noop } = proxyActivities<{ 'core.noop'(input: { index: number }): Promise<unknown> }>({
  startToCloseTimeout: 600_000,
  retry: { maximumAttempts: 3, initialInterval: 1000, backoffCoefficient: 2, maximumInterval: 60_000 },
});

export async function handChain(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await noop({ index: i });
}

export async function handFanout(n: number): Promise<unknown[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => noop({ index: i })));
}
