// trainGbdtAsync: the same model as trainGbdt, with the event loop served during the fit.
import { describe, expect, it } from 'vitest';
import { trainGbdt, trainGbdtAsync } from '../../models/gbdt';

function data(n: number, f: number, seed = 1): { X: Float64Array; y: Float64Array } {
  let s = seed;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const X = new Float64Array(n * f);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) X[i * f + j] = r();
    y[i] = Math.sin(6 * X[i * f]) + X[i * f + 1] * X[i * f + 2] + 0.1 * r();
  }
  return { X, y };
}

describe('trainGbdtAsync', () => {
  const { X, y } = data(20_000, 6);
  const valid = data(2000, 6, 7);
  const params = { n_estimators: 60, max_depth: 5, eta: 0.1, subsample: 0.8, colsample_bytree: 0.8, early_stopping_rounds: 10, seed: 3 };

  it('builds exactly the model trainGbdt builds', async () => {
    const a = trainGbdt(X, y, 6, params, valid);
    const b = await trainGbdtAsync(X, y, 6, params, valid);
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
  });

  it('reports every round and lets timers run during the fit', async () => {
    const rounds: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await trainGbdtAsync(X, y, 6, { ...params, early_stopping_rounds: undefined }, valid, { onRound: (r) => rounds.push(r.round), sliceMs: 5 });
    clearInterval(timer);
    expect(rounds).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(ticks).toBeGreaterThan(0);
  });

  it('stops when its signal aborts', async () => {
    const ac = new AbortController();
    const p = trainGbdtAsync(X, y, 6, { ...params, early_stopping_rounds: undefined, n_estimators: 10_000 }, valid, {
      signal: ac.signal,
      sliceMs: 1,
      onRound: (r) => r.round === 5 && ac.abort(new Error('cancelled by test')),
    });
    await expect(p).rejects.toThrow('cancelled by test');
  });
});
