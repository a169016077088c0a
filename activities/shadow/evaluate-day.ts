// shadow.evaluateDay: scores one UTC day of real closed trades with a published model and
// appends the day to the model's live record in the registry.
//  1. the trades that exited that day (daily archive + the live stream, activities/trades/reader)
//     become samples exactly as the training pipeline's trade labels do (labels/trade-labels);
//  2. their features are built by the features.build activity itself, with the recipe the model
//     was trained with (interval + resolved feature config from run.json): at each trade's entry,
//     from bars closed before it, by the same code as in training;
//  3. the published model forecasts each trade; the day's directional accuracy, Spearman IC,
//     calibration and count go into <model>/shadow/<version>/<day>.json;
//  4. the verdict pools the last `windowDays` days of this version and compares its live skill
//     with the CV estimate (models/evaluation/drift.ts); on drift it XADDs `model.drift`, and the
//     next training.evaluate of this model fails its gate while the alarm stands;
//  5. the version's report is redrawn with the live record.
import path from 'node:path';
import type { ActivityContext } from '../context';
import type { ActivityDeps } from '../deps';
import { InvalidInputError, NonRetryableError } from '../errors';
import { createFeaturesActivities, type FeaturesActivityDeps } from '../features';
import type { FeaturesBuildOutput } from '../features/build-activity';
import { readDataset } from '../features/dataset';
import { tradeLabels } from '../labels/trade-labels';
import { writeSamples } from '../labels/samples-file';
import { dayRange, DAY_MS, dayOf } from '../trades/archive-files';
import { readTrades } from '../trades/reader';
import { DEFAULT_TRADE_STREAM, type Trade } from '../trades/trade';
import { calibration } from '../../models/evaluation/calibration';
import { computeMetrics } from '../../models/evaluation/metrics';
import { DRIFT_METRICS, judgeDrift, type DriftMetric } from '../../models/evaluation/drift';
import { loadPublished, modelRoot, readLatest, VERSION_RE } from '../../models/registry';
import { listVersions } from '../../models/registry/versions';
import { versionName } from '../../models/registry/layout';
import { readShadowDay, readShadowSeries, SHADOW_FORMAT, writeShadowDay, type LiveMetrics, type ScoredTrade, type ShadowDay } from '../../models/registry/shadow';
import { readScoringRecipe } from './recipe';
import { forecastMeaning, scoreRows } from './score';
import { redrawShadowReport } from './report';

export const DEFAULT_DRIFT_STREAM = 'model.drift';

export interface EvaluateDayInput {
  /** Registry name of the model. */
  name: string;
  /** UTC day 'YYYY-MM-DD': trades whose exit time is in it. */
  day: string;
  /** Version to score (default: what `latest` points to). */
  version?: string;
  stream?: string;
  /** Also score trades marked simulated (default true, like the training labels). */
  includeSimulated?: boolean;
  /** Fetch bars missing from the kline store from Binance first (default true). */
  backfillMissing?: boolean;
  drift?: { metrics?: DriftMetric[]; spreads?: number; minTrades?: number; windowDays?: number };
  driftStream?: string;
}

export interface EvaluateDayOutput {
  name: string;
  version: string;
  day: string;
  trades: number;
  scored: number;
  dropped: Record<string, number>;
  dirAcc: number | null;
  ic: number | null;
  drift: ShadowDay['drift']['status'];
  reason: string;
  driftEventId: string | null;
  entryFile: string;
}

const NOT_IN_TRAINING = "symbol not in the model's training set";
const SIMULATED = 'simulated (includeSimulated: false)';

export async function evaluateDay(input: EvaluateDayInput, deps: FeaturesActivityDeps, ctx: ActivityContext): Promise<EvaluateDayOutput> {
  const q = validate(input);
  const { dataDir } = deps.config;
  const root = modelRoot(dataDir, q.name);
  const version = q.version ?? (await readLatest(root));
  if (!version) throw new NonRetryableError(`model '${q.name}' has no published version to shadow (no ${path.join(root, 'latest')}): ${await whyUnpublished(root)}`, 'NoPublishedModel');
  const versionDir = path.join(root, version);
  const recipe = await readScoringRecipe(versionDir).catch((err) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NonRetryableError(`${versionDir} is not a complete model version: ${(err as Error).message}`, 'NoPublishedModel');
    throw err;
  });

  const all = await readTrades({ redis: deps.redis, dataDir, stream: q.stream, fromMs: q.range.startMs, toMs: q.range.endMs });
  const dropped: Record<string, number> = Object.create(null);
  const drop = (reason: string, n = 1) => n > 0 && (dropped[reason] = (dropped[reason] ?? 0) + n);
  const universe = new Set(recipe.symbols);
  const trades = all.filter((t) => {
    if (!universe.has(t.symbol)) return void drop(NOT_IN_TRAINING);
    if (t.simulated && !q.includeSimulated) return void drop(SIMULATED);
    return true;
  });
  ctx.heartbeat({ phase: 'trades', day: q.day, trades: all.length, kept: trades.length });

  let rows: ScoredTrade[] = [];
  let samplesFile: string | null = null;
  let datasetFile: string | null = null;
  if (trades.length > 0) {
    const built = await buildFeatures(trades, recipe, q, deps, ctx);
    samplesFile = built.samplesFile;
    datasetFile = built.datasetFile;
    for (const [reason, n] of Object.entries(built.dropped)) drop(reason, n);
    if (datasetFile) rows = await scoreDataset(datasetFile, trades, recipe, q.name, version, deps);
  }

  const metrics = rows.length > 0 ? liveMetrics(rows) : null;
  const window = await pooledWindow(root, version, q, rows);
  const rule = { metrics: q.drift.metrics, spreads: q.drift.spreads, minSamples: q.drift.minTrades };
  const verdict = judgeDrift(window, recipe.cv, rule);
  const entry: ShadowDay = {
    format: SHADOW_FORMAT,
    name: q.name,
    version,
    day: q.day,
    stream: q.stream,
    evaluatedAt: new Date().toISOString(),
    workflow: ctx.workflow ? { workflowId: ctx.workflow.workflowId, runId: ctx.workflow.runId } : null,
    model: { primary: recipe.primary, labelKind: recipe.labelKind, forecast: forecastMeaning(recipe.labelKind) },
    cv: recipe.cv,
    trades: all.length,
    scored: rows.length,
    simulated: rows.filter((r) => r.simulated).length,
    dropped: { ...dropped },
    metrics,
    window,
    drift: { ...verdict, rule: { metrics: rule.metrics, spreads: rule.spreads, minTrades: rule.minSamples, windowDays: q.drift.windowDays } },
    driftEvent: null,
    samplesFile,
    datasetFile,
    rows,
  };
  if (verdict.status === 'drift') entry.driftEvent = await raiseDrift(deps, q.driftStream, entry, await readShadowDay(root, version, q.day));
  const entryFile = await writeShadowDay(root, entry);
  await redrawShadowReport(root, version);
  ctx.log(`shadow.evaluateDay ${q.name} ${version} ${q.day}: ${rows.length}/${all.length} trades scored — ${verdict.status}: ${verdict.reason}`);
  return {
    name: q.name,
    version,
    day: q.day,
    trades: all.length,
    scored: rows.length,
    dropped: { ...dropped },
    dirAcc: metrics?.dirAcc ?? null,
    ic: metrics?.ic ?? null,
    drift: verdict.status,
    reason: verdict.reason,
    driftEventId: entry.driftEvent?.id ?? null,
    entryFile,
  };
}

/** Samples as the trade-label stage makes them, then the features.build activity on them. */
async function buildFeatures(
  trades: Trade[],
  recipe: Awaited<ReturnType<typeof readScoringRecipe>>,
  q: ReturnType<typeof validate>,
  deps: FeaturesActivityDeps,
  ctx: ActivityContext,
): Promise<{ samplesFile: string; datasetFile: string | null; dropped: Record<string, number> }> {
  const { file: samplesFile } = writeSamples(deps.config.dataDir, tradeLabels(trades), { params: { kind: 'trades', shadow: q.name, day: q.day, stream: q.stream } });
  const build = createFeaturesActivities(deps)['features.build'];
  try {
    const out = (await build({ samplesFile, interval: recipe.interval, features: recipe.features, backfillMissing: q.backfillMissing }, ctx)) as FeaturesBuildOutput;
    return { samplesFile, datasetFile: out.datasetFile, dropped: out.validity.dropped };
  } catch (err) {
    // None of the day's trades has usable features (e.g. the exchange has no bars then): the day
    // is recorded with every trade dropped and why, not failed.
    if (err instanceof NonRetryableError && err.code === 'EmptyDataset') {
      return { samplesFile, datasetFile: null, dropped: (err.details as { dropped?: Record<string, number> } | undefined)?.dropped ?? { 'no usable features': trades.length } };
    }
    throw err;
  }
}

async function scoreDataset(datasetFile: string, trades: Trade[], recipe: Awaited<ReturnType<typeof readScoringRecipe>>, name: string, version: string, deps: ActivityDeps): Promise<ScoredTrade[]> {
  const ds = await readDataset(datasetFile);
  if (ds.featureNames.join(',') !== recipe.featureNames.join(',')) {
    throw new NonRetryableError(`features built for scoring (${ds.featureNames.join(', ')}) differ from the model's (${recipe.featureNames.join(', ')})`, 'FeatureMismatch');
  }
  const model = await loadPublished(deps.config.dataDir, name, version);
  try {
    const predictions = model.predict(ds.X);
    const bad = predictions.reduce((c, v) => c + (Number.isFinite(v) ? 0 : 1), 0);
    if (bad) throw new NonRetryableError(`${name} ${version} produced ${bad} non-finite forecasts of ${predictions.length}`, 'NonFiniteForecast');
    return scoreRows(ds, trades, predictions, recipe.labelKind);
  } finally {
    model.dispose();
  }
}

export function liveMetrics(rows: ScoredTrade[]): LiveMetrics {
  const y = rows.map((r) => r.realised);
  const p = rows.map((r) => r.predicted);
  const m = computeMetrics(y, p);
  return { n: m.n, dirAcc: m.dirAcc, ic: m.ic, r2: m.r2, mae: m.mae, calibration: calibration(p, y) };
}

/** This day's rows plus those of the previous windowDays − 1 days scored by the same version. */
async function pooledWindow(root: string, version: string, q: ReturnType<typeof validate>, today: ScoredTrade[]): Promise<ShadowDay['window']> {
  const from = dayOf(q.range.startMs - (q.drift.windowDays - 1) * DAY_MS);
  const earlier = (await readShadowSeries(root, version)).filter((e) => e.day >= from && e.day < q.day);
  const days = [...earlier.filter((e) => e.rows.length > 0).map((e) => e.day), ...(today.length > 0 ? [q.day] : [])];
  const pooled = [...earlier.flatMap((e) => e.rows), ...today];
  return pooled.length > 0 ? { from, to: q.day, days, ...liveMetrics(pooled) } : null;
}

/** XADDs the alarm once per day and version: a re-run of a day that already raised it reuses it. */
async function raiseDrift(deps: ActivityDeps, stream: string, entry: ShadowDay, previous: ShadowDay | undefined): Promise<{ stream: string; id: string }> {
  if (previous?.driftEvent && previous.driftEvent.stream === stream) return previous.driftEvent;
  const id = await deps.redis.xadd(
    stream, '*',
    'name', entry.name,
    'version', entry.version,
    'day', entry.day,
    'trades', String(entry.window?.n ?? 0),
    'window', `${entry.window?.from ?? entry.day}..${entry.day}`,
    'checks', JSON.stringify(entry.drift.checks),
    'reason', entry.drift.reason,
  );
  return { stream, id: id as string };
}

function validate(input: EvaluateDayInput) {
  if (!input || typeof input !== 'object') throw new InvalidInputError('shadow.evaluateDay needs an input object');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(input.name ?? '')) throw new InvalidInputError(`name '${input.name}' must be a registry name ([A-Za-z0-9._-])`);
  const range = typeof input.day === 'string' ? dayRange(input.day) : undefined;
  if (!range) throw new InvalidInputError(`day must be a UTC calendar day 'YYYY-MM-DD', got ${JSON.stringify(input.day)}`);
  if (input.version !== undefined && !VERSION_RE.test(input.version)) throw new InvalidInputError(`version must look like v0001, got ${JSON.stringify(input.version)}`);
  const d = input.drift ?? {};
  const metrics = d.metrics ?? [...DRIFT_METRICS];
  if (!Array.isArray(metrics) || metrics.length === 0 || metrics.some((m) => !DRIFT_METRICS.includes(m))) {
    throw new InvalidInputError(`drift.metrics must list some of ${DRIFT_METRICS.join(', ')}, got ${JSON.stringify(d.metrics)}`);
  }
  const spreads = d.spreads ?? 1;
  const minTrades = d.minTrades ?? 30;
  const windowDays = d.windowDays ?? 7;
  if (!(Number.isFinite(spreads) && spreads >= 0)) throw new InvalidInputError(`drift.spreads must be a number ≥ 0, got ${spreads}`);
  if (!Number.isInteger(minTrades) || minTrades < 1) throw new InvalidInputError(`drift.minTrades must be an integer ≥ 1, got ${minTrades}`);
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new InvalidInputError(`drift.windowDays must be an integer ≥ 1, got ${windowDays}`);
  const stream = input.stream ?? DEFAULT_TRADE_STREAM;
  const driftStream = input.driftStream ?? DEFAULT_DRIFT_STREAM;
  if (typeof stream !== 'string' || !stream || typeof driftStream !== 'string' || !driftStream) throw new InvalidInputError('stream and driftStream must be non-empty strings');
  return {
    name: input.name,
    day: input.day,
    range,
    version: input.version,
    stream,
    driftStream,
    includeSimulated: input.includeSimulated ?? true,
    backfillMissing: input.backfillMissing ?? true,
    drift: { metrics, spreads, minTrades, windowDays },
  };
}

/** What the registry holds of a model that has no `latest`, and what to do about it. */
async function whyUnpublished(root: string): Promise<string> {
  const kept = (await listVersions(root).catch(() => [])).map(versionName);
  if (!kept.length) return 'it has no versions at all; train and publish it first (e.g. npm run demo)';
  return `none of its versions (${kept.join(', ')}) was published: a version becomes latest only when its gate passes (\`version:\` in the stage's with scores one anyway)`;
}
