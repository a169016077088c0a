import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMlp, saveMlp, trainMlp, useBackend, type MlpModel } from '../../models/mlp';
import { r2 } from '../../models/evaluation/metrics';
import { mulberry32 } from '../../models/mlp/rng';

// y = sin(2 x0) + x1² − 0.5 x0·x1, plus small noise: not learnable by a linear model.
function makeData(n: number, seed: number) {
  const rand = mulberry32(seed);
  const X = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rand() * 4 - 2;
    const b = rand() * 4 - 2;
    X[2 * i] = a * 100 + 5; // raw scale far from unit: standardization has to work
    X[2 * i + 1] = b;
    y[i] = Math.sin(2 * a) + b * b - 0.5 * a * b + (rand() - 0.5) * 0.05;
  }
  return { X, y };
}

describe('MLP regressor (tfjs)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlp-'));
  let backend = '';
  let model: MlpModel;
  const train = makeData(2000, 1);
  const valid = makeData(400, 2);
  const test = makeData(500, 3);
  const params = { hidden: [32, 32], activation: 'tanh' as const, epochs: 25, batchSize: 128, learningRate: 0.02, seed: 7, dropout: 0, patience: 10 };

  beforeAll(async () => {
    backend = await useBackend('wasm');
    model = await trainMlp(train.X, train.y, 2, params, valid);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs on the wasm backend', () => {
    expect(backend).toBe('wasm');
    expect(model.meta.backend).toBe('wasm');
  });

  it('learns a nonlinear function (held-out R² > 0.9)', () => {
    const score = r2(test.y, model.predict(test.X));
    expect(score).toBeGreaterThan(0.9);
  });

  it('stores the training-fold standardization in the model metadata', () => {
    const { mean, std } = model.meta.scaler;
    expect(mean[0]).toBeGreaterThan(-10 + 5);
    expect(mean[0]).toBeLessThan(10 + 5);
    expect(std[0]).toBeGreaterThan(100); // uniform on ±200 → std ≈ 115
    expect(std[1]).toBeCloseTo(4 / Math.sqrt(12), 1);
    expect(model.meta.history.length).toBeGreaterThan(0);
  });

  it('save/load round trip: model.json + weights.bin, identical predictions', async () => {
    await saveMlp(model, dir);
    expect(existsSync(path.join(dir, 'weights.bin'))).toBe(true);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    expect(json.userDefinedMetadata.scaler.mean).toEqual(model.meta.scaler.mean);
    const loaded = await loadMlp(dir);
    expect(Array.from(loaded.predict(test.X))).toEqual(Array.from(model.predict(test.X)));
    loaded.dispose();
  });

  it('is deterministic for a seed (with seeded shuffling and dropout)', async () => {
    const small = makeData(300, 9);
    const p = { ...params, epochs: 3, dropout: 0.2 };
    const a = await trainMlp(small.X, small.y, 2, p);
    const b = await trainMlp(small.X, small.y, 2, p);
    const c = await trainMlp(small.X, small.y, 2, { ...p, seed: 8 });
    expect(Array.from(a.predict(test.X))).toEqual(Array.from(b.predict(test.X)));
    expect(Array.from(a.predict(test.X))).not.toEqual(Array.from(c.predict(test.X)));
    [a, b, c].forEach((m) => m.dispose());
  });
});
