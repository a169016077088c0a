// Time per training epoch of the tfjs MLP (14 → 32 → 16 → 1, dropout 0.1, Adam, batch 256) on a
// 100k × 14 dataset: wasm backend vs the pure-JS cpu backend as the baseline, in the same run.
// Run: npx tsx bench/mlp.ts [rows] [epochs]
import { trainMlp, useBackend } from '../models/mlp';
import { mulberry32 } from '../models/mlp/rng';
import { tf } from '../models/mlp/tf';
import { benchReport } from './report';

const rows = Number(process.argv[2] ?? 100_000);
const epochs = Number(process.argv[3] ?? 3);
const nf = 14;

function data() {
  const rand = mulberry32(1);
  const X = new Float64Array(rows * nf);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < nf; f++) X[r * nf + f] = rand() * 2 - 1;
    y[r] = Math.sin(3 * X[r * nf]) + X[r * nf + 1] * X[r * nf + 2] + 0.1 * (rand() - 0.5);
  }
  return { X, y };
}

async function epochTimes(backend: 'wasm' | 'cpu', d: { X: Float64Array; y: Float64Array }) {
  const got = await useBackend(backend);
  if (got !== backend) throw new Error(`wanted ${backend}, got ${got}`);
  const stamps: number[] = [performance.now()];
  const model = await trainMlp(d.X, d.y, nf, { hidden: [32, 16], dropout: 0.1, epochs, batchSize: 256, seed: 1 }, undefined, {
    onEpoch: () => stamps.push(performance.now()),
  });
  const times = stamps.slice(1).map((t, i) => t - stamps[i]);
  const t0 = performance.now();
  model.predict(d.X);
  const predictMs = performance.now() - t0;
  model.dispose();
  // The first epoch pays for kernel setup: report the mean of the rest when there are any.
  const steady = times.length > 1 ? times.slice(1) : times;
  const mean = steady.reduce((a, b) => a + b, 0) / steady.length;
  return { backend, times, mean, predictMs };
}

async function main() {
  const d = data();
  console.log(`MLP 14→32→16→1, ${rows} rows × ${nf} features, batch 256, ${epochs} epochs per backend (${tf.version_core})`);
  const wasm = await epochTimes('wasm', d);
  const cpu = await epochTimes('cpu', d);
  for (const r of [wasm, cpu]) {
    console.log(`${r.backend.padEnd(5)} epoch ms: ${r.times.map((t) => t.toFixed(0)).join(', ')} → steady ${r.mean.toFixed(0)} ms/epoch; predict ${rows} rows ${r.predictMs.toFixed(0)} ms`);
  }
  console.log(`wasm speed-up over cpu: ${(cpu.mean / wasm.mean).toFixed(2)}× per epoch, ${(cpu.predictMs / wasm.predictMs).toFixed(2)}× predict`);
  const report = benchReport('mlp');
  report.figure({ name: `epoch, wasm backend (${rows} rows × ${nf}, batch 256)`, value: wasm.mean, unit: 'ms', baseline: { name: 'cpu backend', value: cpu.mean }, ratio: wasm.mean / cpu.mean });
  report.figure({ name: `predict ${rows} rows, wasm backend`, value: wasm.predictMs, unit: 'ms', baseline: { name: 'cpu backend', value: cpu.predictMs }, ratio: wasm.predictMs / cpu.predictMs });
  report.note(`TensorFlow.js ${tf.version_core}; ${epochs} epochs per backend, the first left out of the mean`);
  report.done();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
