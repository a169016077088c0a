// Continue-as-new carries the run's state in the next run's input, which Temporal refuses past
// 2 MiB; the refused workflow task would then be retried forever. A run whose state grew that
// large (a stage returning thousands of items) fails instead, saying which stages hold the bytes.
import { jsonBytes, mebibytes, PAYLOAD_BUDGET_BYTES, PAYLOAD_LIMIT_BYTES } from '../lib/payload-size';
import type { RunState } from './run-state';

/** Why `next` (the next run's input) cannot be carried, or undefined when it can. */
export function carryProblem(next: { plan: unknown; carried?: RunState }): string | undefined {
  const bytes = jsonBytes(next);
  if (bytes <= PAYLOAD_BUDGET_BYTES) return undefined;
  const parts: Array<[string, number]> = [['the plan', jsonBytes(next.plan)]];
  for (const [id, st] of Object.entries(next.carried?.stages ?? {})) parts.push([`stage '${id}'`, jsonBytes(st)]);
  const largest = parts
    .sort((a, b) => b[1] - a[1])
    .filter(([, n], i) => i === 0 || n >= bytes / 100)
    .slice(0, 3)
    .map(([what, n]) => `${what} ${mebibytes(n)}`)
    .join(', ');
  return (
    `the run cannot continue as new: its state is ${mebibytes(bytes)} of JSON, over the ${mebibytes(PAYLOAD_BUDGET_BYTES)} a run may carry ` +
    `(Temporal refuses a workflow input past ${mebibytes(PAYLOAD_LIMIT_BYTES)}); ` +
    `largest: ${largest}. Split the run (fewer symbols or a shorter range), or give the fan-out fewer, larger items`
  );
}

/** A failure's details carry the state for `client status`, unless it is too large to send. */
export function stateIfItFits(state: RunState): RunState | undefined {
  return jsonBytes(state) <= PAYLOAD_BUDGET_BYTES ? state : undefined;
}
