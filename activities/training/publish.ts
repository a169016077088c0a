// models.publish: gives a trained run its version folder; if its gate passed, switches `latest`
// to it and announces it on a Redis stream; then prunes old versions. Retry-safe: a run already
// moved into a version is found again by its runId, and the announcement is recorded in the
// version folder (published.json) so a retry does not repeat it (at-least-once in a crash window).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Redis from 'ioredis';
import type { ActivityContext } from '../context';
import type { Config } from '../../config';
import { NonRetryableError, InvalidInputError } from '../errors';
import { claimVersion, listVersions, modelRoot, pointLatest, pruneStaging, pruneVersions, readLatest, versionName, versionNumber, VERSION_RE } from '../../models/registry';
import type { GateResult, RunMetrics } from './report/run-metrics';

export interface PublishInput {
  runDir: string;
  name: string;
  /** Versions to keep (number or { keep }); default 10. `latest` is never pruned. */
  retention?: number | { keep: number };
  /** Redis stream for announcements; default 'model.published'. */
  stream?: string;
}

export interface PublishOutput {
  version: string;
  versionDir: string;
  /** The version `latest` points to after this call (unchanged when the gate failed). */
  latest: string | null;
  published: boolean;
  reason: string;
  pruned: string[];
  /** The training run this version holds (its staging folder's name). */
  runId: string;
}

export const DEFAULT_STREAM = 'model.published';
export const DEFAULT_KEEP = 10;
/** Unpublished staging runs older than this are deleted on publish. */
export const STAGING_MAX_AGE_MS = 7 * 86_400_000;

export async function publish(input: PublishInput, ctx: ActivityContext, deps: { redis: Redis; config: Config }): Promise<PublishOutput> {
  const root = modelRoot(deps.config.dataDir, input.name);
  const keep = typeof input.retention === 'number' ? input.retention : (input.retention?.keep ?? DEFAULT_KEEP);
  if (!Number.isInteger(keep) || keep < 1) throw new InvalidInputError(`retention must keep at least 1 version, got ${JSON.stringify(input.retention)}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(input.name ?? '')) throw new InvalidInputError(`name '${input.name}' must be a simple folder name`);
  const runDir = path.resolve(input.runDir);
  const runId = path.basename(runDir);

  let version: string;
  if (path.dirname(runDir) === root && VERSION_RE.test(runId)) {
    // Already a version folder (e.g. a pipeline re-publishing it): only the pointer may change.
    if (!existsSync(runDir)) throw new NonRetryableError(`version folder ${runDir} does not exist`, 'RunNotFound');
    version = runId;
  } else if (path.dirname(runDir) !== path.join(root, 'staging')) {
    throw new InvalidInputError(`${runDir} is not a staging run of '${input.name}' (expected under ${path.join(root, 'staging')})`);
  } else if (existsSync(runDir)) {
    if (!existsSync(path.join(runDir, 'gate.json'))) throw new NonRetryableError(`run ${runId} has no gate verdict: run training.evaluate first`, 'GateNotEvaluated');
    version = await claimVersion(root, runDir);
  } else {
    const found = await findVersionOfRun(root, runId);
    if (!found) throw new NonRetryableError(`run folder ${runDir} does not exist and no version holds run ${runId}`, 'RunNotFound');
    version = found;
  }
  const versionDir = path.join(root, version);
  const gate = JSON.parse(await readFile(path.join(versionDir, 'gate.json'), 'utf8')) as GateResult;
  ctx.heartbeat({ phase: 'versioned', version });

  let published = false;
  if (gate.passed) {
    const current = await readLatest(root);
    // Never move latest backwards (a retried publish of an older run after a newer one).
    if (!current || (versionNumber(current) ?? 0) <= (versionNumber(version) ?? 0)) {
      await pointLatest(root, version);
      published = true;
      await announce(deps.redis, input.stream ?? DEFAULT_STREAM, input.name, version, versionDir, gate);
    }
  }
  const pruned = await pruneVersions(root, keep);
  await pruneStaging(root, STAGING_MAX_AGE_MS);
  const latest = (await readLatest(root)) ?? null;
  const reason = gate.passed ? (published ? `gate passed; latest → ${version}` : `gate passed but latest is already newer (${latest})`) : `gate failed, latest unchanged (${latest ?? 'none'}): ${gate.reason}`;
  ctx.log(`models.publish ${input.name}: ${version} — ${reason}`);
  return { version, versionDir, latest, published, reason, pruned, runId: await trainingRunId(versionDir, runId) };
}

async function trainingRunId(versionDir: string, fallback: string): Promise<string> {
  const f = path.join(versionDir, 'run.json');
  return existsSync(f) ? (JSON.parse(await readFile(f, 'utf8')) as { runId?: string }).runId ?? fallback : fallback;
}

async function findVersionOfRun(root: string, runId: string): Promise<string | undefined> {
  for (const n of (await listVersions(root)).reverse()) {
    const f = path.join(root, versionName(n), 'run.json');
    if (existsSync(f) && JSON.parse(await readFile(f, 'utf8')).runId === runId) return versionName(n);
  }
  return undefined;
}

async function announce(redis: Redis, stream: string, name: string, version: string, dir: string, gate: GateResult): Promise<void> {
  const marker = path.join(dir, 'published.json');
  if (existsSync(marker)) return;
  const m = JSON.parse(await readFile(path.join(dir, 'metrics.json'), 'utf8')) as RunMetrics;
  const run = JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as { runId: string; datasetSha256: string; codeVersion: string };
  const summary = Object.fromEntries(Object.entries(m.models).map(([k, r]) => [k, { r2: r.stats.r2.mean, mae: r.stats.mae.mean, dirAcc: r.stats.dirAcc.mean, ic: r.stats.ic.mean }]));
  const id = await redis.xadd(
    stream, '*',
    'name', name,
    'version', version,
    'path', dir,
    'runId', run.runId,
    'model', gate.model,
    'datasetSha256', run.datasetSha256,
    'codeVersion', run.codeVersion,
    'metrics', JSON.stringify(summary),
    'gate', gate.reason,
  );
  await writeFile(marker, JSON.stringify({ stream, id, at: new Date().toISOString() }, null, 2));
}
