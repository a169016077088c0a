// What scoring a published version needs to repeat its training exactly: the kline interval and
// the resolved feature configuration (run.json's `recipe`, written by training.train; for older
// versions, the metadata of the dataset they were trained on), the label kind, the feature
// names in model order, and the primary model's CV estimate.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NonRetryableError } from '../errors';
import { featureNames, resolveFeatureConfig, type FeatureConfig } from '../features/feature-config';
import type { RunMetrics } from '../training/report/run-metrics';
import type { Stat } from '../../models/evaluation/summary';

export interface ScoringRecipe {
  interval: string;
  features: FeatureConfig;
  featureNames: string[];
  /** 'trade' (the model forecasts a trade's pnl), 'forward' / 'barrier' (a price return), or null. */
  labelKind: string | null;
  primary: string;
  symbols: string[];
  cv: { dirAcc: Stat; ic: Stat };
}

interface RunJson {
  featureNames?: string[];
  primary?: string;
  datasetFile?: string;
  recipe?: { interval: string | null; features: FeatureConfig | null; label: { kind?: string | null } | null };
}

export async function readScoringRecipe(versionDir: string): Promise<ScoringRecipe> {
  const run = JSON.parse(await readFile(path.join(versionDir, 'run.json'), 'utf8')) as RunJson;
  const metrics = JSON.parse(await readFile(path.join(versionDir, 'metrics.json'), 'utf8')) as RunMetrics;
  let recipe = run.recipe;
  if (!recipe?.features || !recipe.interval) recipe = await recipeFromDatasetMeta(run.datasetFile);
  if (!recipe?.features || !recipe.interval) {
    throw new NonRetryableError(
      `${versionDir}: run.json has no recipe and the training dataset's metadata is gone; the features cannot be rebuilt as in training`,
      'RecipeMissing',
    );
  }
  const primary = run.primary ?? metrics.primary;
  const stats = metrics.models[primary]?.stats;
  if (!stats) throw new NonRetryableError(`${versionDir}: metrics.json has no CV metrics for the primary model '${primary}'`, 'RecipeMissing');
  const names = run.featureNames ?? [];
  const rebuilt = featureNames(resolveFeatureConfig(recipe.features));
  if (rebuilt.join(',') !== names.join(',')) {
    throw new NonRetryableError(`${versionDir}: the recipe's features (${rebuilt.join(', ')}) are not the model's (${names.join(', ')})`, 'FeatureMismatch');
  }
  return {
    interval: recipe.interval,
    features: recipe.features,
    featureNames: names,
    labelKind: recipe.label?.kind ?? null,
    primary,
    symbols: metrics.dataset.symbols,
    cv: { dirAcc: stats.dirAcc, ic: stats.ic },
  };
}

async function recipeFromDatasetMeta(datasetFile: string | undefined): Promise<RunJson['recipe'] | undefined> {
  const meta = datasetFile?.replace(/\.arrow$/, '.meta.json');
  if (!meta || !existsSync(meta)) return undefined;
  const m = JSON.parse(await readFile(meta, 'utf8')) as { interval?: string; features?: FeatureConfig; label?: { kind?: string } };
  return { interval: m.interval ?? null, features: m.features ?? null, label: m.label ?? null };
}
