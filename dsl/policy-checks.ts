// Checks of a stage's retry and timeout once merged over `defaults:` and the built-in values,
// located where the offending value was written (the stage's, or the defaults' if it inherits it).
import { formatMs } from './duration';
import type { PlanRetry, PlanTimeout } from './plan';
import { mergeRetry, mergeTimeout, type TimeoutNodes } from './policies';
import type { StageDraft } from './stages';
import type { NodeContext, YNode } from './yaml-nodes';

export interface Defaults {
  /** `defaults.cache`: stages reuse earlier outputs unless they say `cache: false`. */
  cache?: boolean;
  retry: Partial<PlanRetry>;
  timeout: Partial<PlanTimeout>;
  retryNode?: YNode;
  timeoutNodes: TimeoutNodes;
}

/** Temporal refuses a maximum retry interval below the initial one; say so before anything runs. */
export function checkRetryIntervals(ctx: NodeContext, draft: StageDraft, defaults: Defaults): void {
  const retry = mergeRetry(defaults.retry, draft.retry);
  if (retry.maximumIntervalMs >= retry.initialIntervalMs) return;
  const ownsIt = draft.retry.initialIntervalMs !== undefined || draft.retry.maximumIntervalMs !== undefined;
  const at = ownsIt ? draft.retryNode : defaults.retryNode ?? draft.retryNode;
  ctx.diag.at(
    at ?? draft.keyNode,
    'range',
    `retry of stage '${draft.id}': maxInterval (${formatMs(retry.maximumIntervalMs)}) is shorter than initialInterval (${formatMs(retry.initialIntervalMs)})`,
  );
}

/** An attempt ends at startToClose: a longer heartbeat timeout could never fire. */
export function checkHeartbeat(ctx: NodeContext, draft: StageDraft, defaults: Defaults): void {
  const timeout = mergeTimeout(defaults.timeout, draft.timeout);
  if (timeout.heartbeatMs === undefined || timeout.heartbeatMs <= timeout.startToCloseMs) return;
  const startToClose = `startToClose (${formatMs(timeout.startToCloseMs)}${draft.timeout.startToCloseMs === undefined && defaults.timeout.startToCloseMs === undefined ? ', the built-in default' : ''})`;
  const problem = `heartbeat (${formatMs(timeout.heartbeatMs)}) is longer than ${startToClose}: an attempt ends at startToClose, so the heartbeat timeout could never fire`;
  const own = draft.timeoutNodes.heartbeatMs ?? draft.timeoutNodes.startToCloseMs;
  if (own) ctx.diag.at(own, 'range', `timeout of stage '${draft.id}': ${problem}`);
  else ctx.diag.at(defaults.timeoutNodes.heartbeatMs, 'range', `timeout in defaults: ${problem}`);
}
