// `retry:` and `timeout:` blocks, and their merge: built-in defaults ← `defaults:` ← stage.
import { isScalar } from 'yaml';
import { parseDuration } from './duration';
import type { PlanRetry, PlanTimeout } from './plan';
import { asMap, asNumber, asSeq, asString, describeValue, entries, type NodeContext, type YNode } from './yaml-nodes';

export const RETRY_KEYS = ['maxAttempts', 'initialInterval', 'backoff', 'maxInterval', 'nonRetryable'];
export const TIMEOUT_KEYS = ['startToClose', 'scheduleToClose', 'heartbeat'];

export const DEFAULT_RETRY: PlanRetry = {
  maximumAttempts: 3,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
  nonRetryableErrorTypes: [],
};
export const DEFAULT_TIMEOUT: PlanTimeout = { startToCloseMs: 600_000 };

export function compileRetry(ctx: NodeContext, node: YNode, where: string): Partial<PlanRetry> {
  const map = asMap(ctx, node, `retry of ${where}`);
  const retry: Partial<PlanRetry> = {};
  if (!map) return retry;
  for (const { key, value } of entries(ctx, map, { what: `retry of ${where}`, allowed: RETRY_KEYS })) {
    switch (key) {
      case 'maxAttempts': {
        const n = asNumber(ctx, value, 'retry.maxAttempts', true);
        if (n !== undefined && n < 1) ctx.diag.at(value, 'range', `retry.maxAttempts must be at least 1, got ${n}`);
        else if (n !== undefined) retry.maximumAttempts = n;
        break;
      }
      case 'backoff': {
        const n = asNumber(ctx, value, 'retry.backoff');
        if (n !== undefined && n < 1) ctx.diag.at(value, 'range', `retry.backoff must be at least 1, got ${n}`);
        else if (n !== undefined) retry.backoffCoefficient = n;
        break;
      }
      case 'initialInterval':
        retry.initialIntervalMs = durationMs(ctx, value, 'retry.initialInterval');
        break;
      case 'maxInterval':
        retry.maximumIntervalMs = durationMs(ctx, value, 'retry.maxInterval');
        break;
      case 'nonRetryable': {
        const seq = asSeq(ctx, value, 'retry.nonRetryable');
        if (seq) retry.nonRetryableErrorTypes = seq.items.flatMap((item) => asString(ctx, item as YNode, 'each retry.nonRetryable entry') ?? []);
        break;
      }
    }
  }
  return retry;
}

/** Where each timeout was written, to locate errors found after merging. */
export type TimeoutNodes = Partial<Record<keyof PlanTimeout, YNode>>;

export function compileTimeout(ctx: NodeContext, node: YNode, where: string, nodes: TimeoutNodes = {}): Partial<PlanTimeout> {
  const map = asMap(ctx, node, `timeout of ${where}`);
  const timeout: Partial<PlanTimeout> = {};
  if (!map) return timeout;
  for (const { key, value } of entries(ctx, map, { what: `timeout of ${where}`, allowed: TIMEOUT_KEYS })) {
    const ms = durationMs(ctx, value, `timeout.${key}`);
    const field = key === 'startToClose' ? 'startToCloseMs' : key === 'scheduleToClose' ? 'scheduleToCloseMs' : 'heartbeatMs';
    timeout[field] = ms;
    nodes[field] = value;
  }
  return timeout;
}

/** A positive duration in ms, or undefined after reporting why not. */
export function durationMs(ctx: NodeContext, node: YNode, what: string): number | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') {
    const hint = isScalar(node) && typeof node.value === 'number' ? ` (add a unit, e.g. '${node.value}s')` : '';
    ctx.diag.at(node, 'duration', `${what} must be a duration such as '30s' or '1h30m', got ${describeValue(node)}${hint}`);
    return undefined;
  }
  const parsed = parseDuration(node.value);
  if ('error' in parsed) {
    ctx.diag.at(node, 'duration', `${what}: ${parsed.error}`);
    return undefined;
  }
  if (parsed.ms <= 0) {
    ctx.diag.at(node, 'duration', `${what} must be longer than 0`);
    return undefined;
  }
  return parsed.ms;
}

export function mergeRetry(...layers: Array<Partial<PlanRetry>>): PlanRetry {
  return Object.assign({}, DEFAULT_RETRY, ...layers.map(defined)) as PlanRetry;
}

export function mergeTimeout(...layers: Array<Partial<PlanTimeout>>): PlanTimeout {
  return Object.assign({}, DEFAULT_TIMEOUT, ...layers.map(defined)) as PlanTimeout;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
