// The stage cache: every successful activity execution is recorded in Redis under its activity
// type, the code version of that type (code-version.ts) and its input; a stage with `cache: true`
// asks (core.cacheLookup, a local activity of the interpreter) for such a record before it runs
// and reuses the outputs instead. A record whose outputs name a file that is gone is no hit, nor
// one that its activity's check (e.g. a backfill's bars still stored) finds stale.
import { existsSync } from 'node:fs';
import type Redis from 'ioredis';
import { canonicalJson, sha256Hex } from '../../dsl/hash';
import type { ActivitySpec } from '../../dsl/activity-spec';
import type { ActivityContext, ActivityFn } from '../context';
import { codeVersion } from './code-version';

export const CACHE_LOOKUP = 'core.cacheLookup';
export const DEFAULT_CACHE_TTL_S = 30 * 86_400;

export interface CacheRecord {
  outputs: unknown;
  codeVersion: string;
  /** When the execution finished. */
  at: string;
  workflowId?: string;
  runId?: string;
}

export interface CacheLookupInput {
  type: string;
  /** One per activity call (a fan-out asks for all its items at once). */
  inputs: unknown[];
}

export function cacheKey(type: string, input: unknown, version = codeVersion(type)): string {
  return `trainflow:stage-cache:${type}:${sha256Hex(canonicalJson({ version, input: input ?? null }))}`;
}

const PATH_KEY = /(File|Dir|Path)$|^(file|dir|path)$/;

/** Files and folders the outputs refer to (by key name) that no longer exist. */
export function missingFiles(outputs: unknown, depth = 0): string[] {
  if (depth > 3 || typeof outputs !== 'object' || outputs === null) return [];
  if (Array.isArray(outputs)) return outputs.flatMap((o) => missingFiles(o, depth + 1));
  const out: string[] = [];
  for (const [k, v] of Object.entries(outputs)) {
    if (typeof v === 'string' && PATH_KEY.test(k) && v.startsWith('/') && !existsSync(v)) out.push(v);
    else if (typeof v === 'object') out.push(...missingFiles(v, depth + 1));
  }
  return out;
}

/**
 * Wraps activities so that each success of a cacheable one is recorded (never failing the
 * activity if Redis does). Only pipeline activities (in `catalog`) without `notCacheable` can be
 * looked up, so only they are recorded.
 */
export function recordingSuccesses(fns: Record<string, ActivityFn>, redis: Redis, ttlSeconds: number, catalog: Record<string, ActivitySpec>): Record<string, ActivityFn> {
  const out: Record<string, ActivityFn> = {};
  for (const [type, fn] of Object.entries(fns)) {
    const spec = Object.hasOwn(catalog, type) ? catalog[type] : undefined;
    if (!spec || spec.notCacheable) {
      out[type] = fn;
      continue;
    }
    out[type] = async (input: unknown, ctx: ActivityContext) => {
      const outputs = await fn(input, ctx);
      const record: CacheRecord = { outputs, codeVersion: codeVersion(type), at: new Date().toISOString(), workflowId: ctx.workflow?.workflowId, runId: ctx.workflow?.runId };
      try {
        await redis.set(cacheKey(type, input, record.codeVersion), JSON.stringify(record), 'EX', ttlSeconds);
      } catch (err) {
        ctx.log(`stage cache: could not record ${type}: ${(err as Error).message}`);
      }
      return outputs;
    };
  }
  return out;
}

/** Why a record's outputs no longer hold (e.g. the Redis data they describe is gone), or null. */
export type CacheCheck = (outputs: unknown, redis: Redis) => Promise<string | null>;

/** `checks`: per activity type, what else a hit needs beyond its files existing. */
export function createCacheLookup(redis: Redis, checks: ReadonlyMap<string, CacheCheck> = new Map()): ActivityFn<CacheLookupInput, Array<CacheRecord | null>> {
  return async ({ type, inputs }, ctx) => {
    if (!inputs.length) return [];
    const keys = inputs.map((input) => cacheKey(type, input));
    const raw = await redis.mget(...keys);
    const check = checks.get(type);
    return Promise.all(
      raw.map(async (text) => {
        if (!text) return null;
        const record = JSON.parse(text) as CacheRecord;
        if (missingFiles(record.outputs).length) return null;
        const stale = check ? await check(record.outputs, redis) : null;
        if (stale) ctx.log(`stage cache: not reusing ${type} of ${record.workflowId ?? 'an earlier run'}: ${stale}`);
        return stale ? null : record;
      }),
    );
  };
}
