// The live (shadow) record of a model in the registry: one file per version and evaluated UTC day.
//   <dataDir>/models/<name>/shadow/<version>/YYYY-MM-DD.json   see ShadowDay
// A version's time series is its day files in day order. A day evaluated again (a retry, a
// schedule backfill, trades that arrived late) replaces its own file and nothing else, so
// concurrent runs for different days, or for different versions, never lose each other's entries.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Calibration } from '../evaluation/calibration';
import type { DriftVerdict } from '../evaluation/drift';
import type { Stat } from '../evaluation/summary';
import { readLatest } from './latest';
import { VERSION_RE } from './layout';

export const SHADOW_DIR = 'shadow';
export const SHADOW_FORMAT = 'trainflow.shadow/v1';
const DAY_RE = /^(\d{4}-\d{2}-\d{2})\.json$/;

export interface LiveMetrics {
  n: number;
  dirAcc: number;
  ic: number;
  r2: number;
  mae: number;
  calibration: Calibration;
}

export interface ScoredTrade {
  id: string;
  symbol: string;
  side: 'long' | 'short';
  entryTime: number;
  exitTime: number;
  /** The model's forecast of the trade's pnl (fraction). */
  predicted: number;
  /** Realised pnl (fraction, after the bot's fees). */
  realised: number;
  simulated: boolean;
}

export interface ShadowDay {
  format: typeof SHADOW_FORMAT;
  name: string;
  version: string;
  day: string;
  stream: string;
  evaluatedAt: string;
  workflow: { workflowId: string; runId: string } | null;
  model: { primary: string; labelKind: string | null; forecast: string };
  /** The primary model's CV estimate (mean ± std over folds) the live skill is judged against. */
  cv: { dirAcc: Stat; ic: Stat };
  /** Closed trades of the day read from the stream/archive, and how many were scored. */
  trades: number;
  scored: number;
  simulated: number;
  dropped: Record<string, number>;
  /** The day's own live metrics (null when no trade was scored). */
  metrics: LiveMetrics | null;
  /** Pooled over the scored trades of the window's days (same version): what the verdict uses. */
  window: ({ from: string; to: string; days: string[] } & LiveMetrics) | null;
  drift: DriftVerdict & { rule: { metrics: string[]; spreads: number; minTrades: number; windowDays: number } };
  /** The model.drift stream entry raised for this day, if any. */
  driftEvent: { stream: string; id: string } | null;
  samplesFile: string | null;
  datasetFile: string | null;
  rows: ScoredTrade[];
}

export function shadowDir(root: string): string {
  return path.join(root, SHADOW_DIR);
}

export function shadowDayFile(root: string, version: string, day: string): string {
  return path.join(shadowDir(root), version, `${day}.json`);
}

export async function readShadowDay(root: string, version: string, day: string): Promise<ShadowDay | undefined> {
  const f = shadowDayFile(root, version, day);
  return existsSync(f) ? (JSON.parse(await readFile(f, 'utf8')) as ShadowDay) : undefined;
}

export async function writeShadowDay(root: string, entry: ShadowDay): Promise<string> {
  const f = shadowDayFile(root, entry.version, entry.day);
  await mkdir(path.dirname(f), { recursive: true });
  const tmp = `${f}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, JSON.stringify(entry, null, 2) + '\n');
  await rename(tmp, f);
  return f;
}

/** Every evaluated day of the model, oldest first (version by version on the same day), or
 * only those of one version. */
export async function readShadowSeries(root: string, version?: string): Promise<ShadowDay[]> {
  const versions = version === undefined ? (await listNames(shadowDir(root))).filter((n) => VERSION_RE.test(n)).sort() : [version];
  const out: ShadowDay[] = [];
  for (const v of versions) {
    const days = (await listNames(path.join(shadowDir(root), v))).map((n) => DAY_RE.exec(n)?.[1]).filter((d): d is string => d !== undefined);
    for (const d of days) {
      const e = await readShadowDay(root, v, d);
      if (e) out.push(e);
    }
  }
  return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export interface DriftAlarm {
  version: string;
  day: string;
  reason: string;
  event: { stream: string; id: string } | null;
}

/**
 * The drift alarm standing against the live model: the most recent day with a verdict for the
 * version `latest` points to says 'drift'. A later day back within the spread clears it; so does
 * publishing another version (its record starts afresh).
 */
export async function activeDriftAlarm(root: string): Promise<DriftAlarm | undefined> {
  const latest = await readLatest(root);
  if (!latest) return undefined;
  const judged = (await readShadowSeries(root, latest)).filter((e) => e.drift.status !== 'insufficient');
  const last = judged[judged.length - 1];
  if (!last || last.drift.status !== 'drift') return undefined;
  return { version: latest, day: last.day, reason: last.drift.reason, event: last.driftEvent };
}
