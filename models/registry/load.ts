// Loads a published version (default: what `latest` points to) for inference: the tree models
// (gbdt, gbdt_leafwise) from their own JSON, the mlp from model.json + weights.bin, and the ensemble blend weights.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GbdtModel } from '../gbdt';
import { blend } from '../ensemble';
import { loadMlp, useBackend, type MlpModel } from '../mlp';
import { modelRoot } from './layout';
import { LATEST, readLatest } from './latest';

export interface LoadedModel {
  name: string;
  version: string;
  dir: string;
  featureNames: string[];
  /** The model the gate judged (ensemble if trained). */
  primary: string;
  /** Forecasts of every saved model and the ensemble, for raw feature rows (row-major). */
  predictAll(X: Float64Array): Record<string, Float64Array>;
  predict(X: Float64Array): Float64Array;
  dispose(): void;
}

export async function loadPublished(dataDir: string, name: string, version: string = LATEST): Promise<LoadedModel> {
  const root = modelRoot(dataDir, name);
  const resolved = version === LATEST ? await readLatest(root) : version;
  if (!resolved) throw new Error(`${name} has no published version (no ${path.join(root, LATEST)})`);
  const dir = path.join(root, resolved);
  const run = JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as { featureNames?: string[]; primary?: string };
  const metrics = JSON.parse(await readFile(path.join(dir, 'metrics.json'), 'utf8')) as { primary: string };
  // Depth-wise and leaf-wise trees (each saved in its own folder), in a Map: no model name is an object key.
  const trees = new Map<string, GbdtModel>();
  for (const name of ['gbdt', 'gbdt_leafwise']) {
    const file = path.join(dir, 'models', name, 'model.json');
    if (existsSync(file)) trees.set(name, GbdtModel.fromJSON(await readFile(file, 'utf8')));
  }
  let mlp: MlpModel | undefined;
  if (existsSync(path.join(dir, 'models/mlp/model.json'))) {
    await useBackend();
    mlp = await loadMlp(path.join(dir, 'models/mlp'));
  }
  const ensFile = path.join(dir, 'models/ensemble.json');
  const weights = existsSync(ensFile) ? (JSON.parse(await readFile(ensFile, 'utf8')).weights as Record<string, number>) : undefined;
  const featureNames = run.featureNames ?? mlp?.meta.featureNames ?? [];
  const primary = run.primary ?? metrics.primary;
  const predictAll = (X: Float64Array) => {
    const out: Record<string, Float64Array> = {};
    for (const [name, model] of trees) out[name] = model.predict(X);
    if (mlp) out.mlp = mlp.predict(X);
    if (weights) out.ensemble = blend(Object.keys(weights).map((m) => out[m]), Object.values(weights));
    return out;
  };
  return {
    name,
    version: resolved,
    dir,
    featureNames,
    primary,
    predictAll,
    predict: (X) => predictAll(X)[primary],
    dispose: () => mlp?.dispose(),
  };
}
