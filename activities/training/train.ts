// training.train: walk-forward CV of the requested models against naive baselines, a final fit
// on all rows, and a staging run folder with the models, metrics.json, params and the report.
// Returns only references and a small summary.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActivityContext } from '../context';
import type { Config } from '../../config';
import { useBackend } from '../../models/mlp';
import { signStrategy, type EquityCurve } from '../../models/evaluation/backtest';
import { metricsBySymbol } from '../../models/evaluation/by-symbol';
import { leakWarnings } from '../../models/evaluation/summary';
import { DEFAULT_MIN_TEST, DEFAULT_MIN_TRAIN } from '../../models/evaluation/splitter';
import { codeVersion } from '../../models/registry/code-version';
import { InvalidInputError } from '../errors';
import { newRunId, stagingDir } from '../../models/registry/layout';
import { resolveTraining, type TrainInput } from './config';
import { crossValidate } from './cross-validate';
import { barMs, fileSha256, loadDataset, requireHorizonMs, type Dataset } from './dataset';
import { durationMs } from './duration';
import { fitModelSet } from './fit-models';
import { dirFoldCache } from './fold-cache';
import { refitOnAll } from './refit';
import { renderCharts } from './report/render-charts';
import type { RunMetrics } from './report/run-metrics';
import { isBaseline, modelVerdicts } from './report/verdicts';
import { writeReport } from './report/write-report';
import { take } from './rows';

export interface TrainOutput {
  runDir: string;
  runId: string;
  primary: string;
  leakSuspect: boolean;
  warnings: string[];
  /** Mean CV metrics per model and baseline. */
  summary: Record<string, { r2: number; mae: number; dirAcc: number; ic: number }>;
  /** The printed summary (a few lines). */
  text: string;
}

export interface TrainDeps {
  config: Config;
  /** Replaces the Arrow reader (tests hand in in-memory datasets). */
  loadDataset?: (file: string) => Promise<Dataset>;
}

export async function train(input: TrainInput, ctx: ActivityContext, deps: TrainDeps): Promise<TrainOutput> {
  const res = resolveTraining(input);
  const ds = await (deps.loadDataset ?? loadDataset)(input.datasetFile);
  const sha256 = existsSync(input.datasetFile) ? await fileSha256(input.datasetFile) : 'in-memory';
  checkFinite(ds, res.base);
  const warnings: string[] = [];
  const bar = barMs(ds);
  const purgeMs = durationMs(input.cv?.purge, bar, 'cv.purge');
  const embargoMs = durationMs(input.cv?.embargo, bar, 'cv.embargo');
  const horizonMs = requireHorizonMs(ds, purgeMs, warnings);
  const gapMs = Math.max(horizonMs, purgeMs);
  if (res.base.includes('mlp')) {
    const backend = await useBackend();
    if (backend !== 'wasm') warnings.push(`tfjs ran on the '${backend}' backend, not wasm`);
  }
  // A retried attempt continues the run its predecessor started (same folder, finished folds kept).
  const resumed = ctx.resumeDetails<{ runId?: string }>()?.runId;
  const runId = resumed && existsSync(stagingDir(deps.config.dataDir, input.name, resumed)) ? resumed : newRunId();
  const runDir = stagingDir(deps.config.dataDir, input.name, runId);
  await mkdir(runDir, { recursive: true });
  ctx.log(`training ${input.name}: ${ds.y.length} samples × ${ds.featureNames.length} features → ${runDir}`);

  const fingerprint = createHash('sha256').update(JSON.stringify({ input, sha256, rows: ds.y.length })).digest('hex');
  let fold = 0;
  const hooks = {
    signal: ctx.signal,
    cache: dirFoldCache(runDir, fingerprint),
    onFold: (f: number, of: number) => ctx.heartbeat({ runId, phase: 'cv', fold: (fold = f), of }),
    onModel: (model: string) => ctx.heartbeat({ runId, phase: 'fit', fold, model }),
    onEpoch: (model: string, log: { epoch: number; loss: number; valLoss?: number }) => ctx.heartbeat({ runId, phase: 'epoch', fold, model, ...log }),
  };
  const split = {
    folds: res.folds,
    horizonMs,
    purgeMs,
    embargoMs,
    minTrain: input.cv?.minTrain ?? DEFAULT_MIN_TRAIN,
    minTest: input.cv?.minTest ?? DEFAULT_MIN_TEST,
  };
  const cv = await crossValidate(ds, split, res, input, hooks);
  warnings.push(...leakWarnings(cv.models));

  fold = 0;
  ctx.heartbeat({ runId, phase: 'final-fit' });
  const all = Int32Array.from({ length: ds.y.length }, (_, i) => i);
  const final = await fitModelSet(ds, all, gapMs, res, input, hooks);
  const modelInfo: RunMetrics['final']['modelInfo'] = {};
  let featureImportance: RunMetrics['final']['featureImportance'];
  try {
    const refit = await refitOnAll(ds, all, final.base, input, hooks);
    try {
      for (const [name, m] of Object.entries(refit)) {
        await m.save(path.join(runDir, 'models', name), ds.featureNames);
        modelInfo[name] = { ...m.info(), rows: all.length, chosenBy: { ...final.base[name].info(), fitRows: final.fitRows, validRows: final.validRows } };
        const imp = m.importance?.();
        // The depth-wise trees' importance, else the leaf-wise ones' (the report shows one chart).
        if (imp && (name === 'gbdt' || (name === 'gbdt_leafwise' && !featureImportance))) featureImportance = { type: 'gain', byFeature: byName(ds.featureNames, imp) };
      }
    } finally {
      for (const m of Object.values(refit)) m.dispose();
    }
  } finally {
    final.dispose();
  }
  const ensembleWeights = final.ensemble ? Object.fromEntries(final.ensemble.models.map((m, k) => [m, final.ensemble!.weights[k]])) : undefined;
  if (final.ensemble) await writeFile(path.join(runDir, 'models', 'ensemble.json'), JSON.stringify({ kind: 'convex-blend', weights: ensembleWeights, chosenOn: `holdout of the last ${res.validFraction * 100}% of the rows (models then refit on all rows)` }, null, 2));

  const yOos = take(ds.y, cv.oos.rows);
  const timeOos = take(ds.time, cv.oos.rows);
  const symOos = Array.from(cv.oos.rows, (i) => ds.symbol[i]);
  const equity: Record<string, EquityCurve> = {};
  for (const [name, pred] of Object.entries(cv.oos.preds)) {
    if (isBaseline(name)) continue;
    equity[name] = signStrategy({ time: timeOos, symbol: symOos, y: yOos, pred, horizonMs, feePerSide: res.feePerSide });
  }
  const span = { from: ds.time.reduce((a, b) => Math.min(a, b), Infinity), to: ds.time.reduce((a, b) => Math.max(a, b), -Infinity) };
  const metrics: RunMetrics = {
    format: 'trainflow.metrics/v1',
    name: input.name,
    runId,
    createdAt: new Date().toISOString(),
    workflow: ctx.workflow ?? null,
    dataset: { file: input.datasetFile, sha256, rows: ds.y.length, features: ds.featureNames.length, symbols: [...new Set(ds.symbol)], timeSpan: span },
    cv: { scheme: 'walk-forward', folds: res.folds, horizonMs, gapMs, embargoMs, barMs: bar, validFraction: res.validFraction },
    primary: res.primary,
    models: cv.models,
    folds: cv.folds,
    warnings,
    leakSuspect: warnings.some((w) => w.startsWith('PROBABLE LEAK')),
    bySymbol: metricsBySymbol(symOos, yOos, cv.oos.preds),
    backtest: {
      feePerSide: res.feePerSide,
      byModel: Object.fromEntries(Object.entries(equity).map(([n, e]) => [n, { total: e.totalStrategy, buyHold: e.totalBuyHold, trades: e.trades, fees: e.feesPaid, bySymbol: e.bySymbol }])),
    },
    final: { ensembleWeights, modelInfo, featureImportance },
    verdicts: modelVerdicts(cv.models),
  };
  await writeFile(path.join(runDir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  await writeFile(path.join(runDir, 'params.json'), JSON.stringify({ input, resolved: { ...res, horizonMs, purgeMs, embargoMs, gapMs, barMs: bar } }, null, 2));
  await writeFile(
    path.join(runDir, 'run.json'),
    JSON.stringify(
      {
        runId, name: input.name, createdAt: metrics.createdAt, workflow: metrics.workflow, datasetFile: input.datasetFile, datasetSha256: sha256, codeVersion: codeVersion(),
        featureNames: ds.featureNames, primary: res.primary, models: Object.keys(final.base),
        // How the features and the label were made: what scoring new samples must repeat exactly.
        recipe: { interval: ds.meta.interval ?? null, features: ds.meta.features ?? null, label: ds.meta.label ?? null },
      },
      null,
      2,
    ),
  );
  ctx.heartbeat({ runId, phase: 'report' });
  await renderCharts(path.join(runDir, 'report'), { metrics, actual: yOos, predicted: cv.oos.preds[res.primary], equity });
  const { text } = await writeReport(runDir);
  ctx.log(text);
  const summary: TrainOutput['summary'] = {};
  for (const [n, r] of Object.entries(cv.models)) summary[n] = { r2: r.stats.r2.mean, mae: r.stats.mae.mean, dirAcc: r.stats.dirAcc.mean, ic: r.stats.ic.mean };
  return { runDir, runId, primary: res.primary, leakSuspect: metrics.leakSuspect, warnings, summary, text };
}

/** Labels and times must be finite; NaN features are only acceptable to the tree models (as missing). */
function checkFinite(ds: Dataset, base: string[]): void {
  const count = (a: Float64Array) => a.reduce((c, v) => c + (Number.isFinite(v) ? 0 : 1), 0);
  const badY = count(ds.y);
  const badT = count(ds.time);
  if (badY || badT) throw new InvalidInputError(`dataset has ${badY} non-finite labels and ${badT} non-finite times of ${ds.y.length} rows`);
  const badX = count(ds.X);
  if (badX && base.includes('mlp')) throw new InvalidInputError(`dataset has ${badX} non-finite feature values; the mlp cannot take missing values (the tree models can)`);
}

/** Feature names come from the pipeline's YAML: a null-prototype object, never a plain one. */
function byName(names: readonly string[], values: readonly number[]): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  names.forEach((name, i) => (out[name] = values[i]));
  return out;
}
