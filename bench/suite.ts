// Every benchmark `npm run bench` runs, in this order (scripts/bench.ts). A new benchmark is a
// bench/<name>.ts that follows bench/README.md's convention and has a line here.
export interface BenchmarkEntry {
  /** Its name in the results table; also `npm run bench -- <name>` to run only it. */
  name: string;
  file: string;
  args?: string[];
  /** Extra node options (e.g. --expose-gc for memory figures). */
  nodeOptions?: string[];
  about: string;
  /** Wall-clock limit on a quiet 2-core machine × a margin; a benchmark past it is stopped and reported failed. */
  timeoutMinutes: number;
}

export const BENCHMARKS: BenchmarkEntry[] = [
  { name: 'dsl-validate', file: 'bench/dsl-validate.ts', about: 'validation of 10,000 stages vs 1,000 (time, peak memory); how fast bad input is refused', timeoutMinutes: 10 },
  { name: 'engine', file: 'bench/engine.ts', about: 'interpreter overhead: DSL vs hand-written workflows (100-chain, 100-fan-out, 1,000 independent stages)', timeoutMinutes: 15 },
  { name: 'history', file: 'bench/history.ts', about: 'history per run of a 5-year × 20-symbol 1m backfill plan (continue-as-new)', timeoutMinutes: 15 },
  { name: 'backfill', file: 'bench/backfill.ts', about: 'backfill klines/s: bulk archives vs Binance’s REST maximum (target ≥ 20×), REST vs the weight budget; store write rate', timeoutMinutes: 15 },
  { name: 'features', file: 'bench/features.ts', nodeOptions: ['--expose-gc'], about: 'features for a symbol-year of 1m bars and 10,000 samples vs per-sample windows', timeoutMinutes: 15 },
  { name: 'features-redis', file: 'bench/features.ts', args: ['--redis'], nodeOptions: ['--expose-gc'], about: 'the whole features.build activity on a symbol-year through Redis', timeoutMinutes: 15 },
  { name: 'gbdt', file: 'bench/gbdt.ts', about: 'our trees vs Python xgboost hist, 1 thread and N threads (worker_threads build): training time and test R²', timeoutMinutes: 30 },
  { name: 'gbdt-lightgbm', file: 'bench/gbdt-lightgbm.ts', about: 'leaf-wise trees vs Python LightGBM (1 thread): training time and test R²', timeoutMinutes: 30 },
  { name: 'scale-out', file: 'bench/scale-out.ts', about: '1, 2, 3 worker processes on one task queue: backfill throughput vs 1 worker', timeoutMinutes: 20 },
  { name: 'mlp', file: 'bench/mlp.ts', about: 'TensorFlow.js net: time per epoch, wasm vs cpu backend', timeoutMinutes: 15 },
  { name: 'demo', file: 'bench/demo.ts', about: 'npm run demo end to end on a warm stack, stage by stage (uses TRAINFLOW_PORT_OFFSET’s stack)', timeoutMinutes: 30 },
];
