/**
 * GBDT benchmark: our TypeScript trees vs python xgboost (tree_method=hist, nthread=1), same data,
 * same run, on 1 thread and on N threads (our worker_threads build vs xgboost nthread=N).
 * Run: npx tsx bench/gbdt.ts   (env GBDT_BENCH_TREES, GBDT_BENCH_ROWS, GBDT_BENCH_REPS, GBDT_BENCH_THREADS)
 */
import { availableParallelism, loadavg } from 'node:os';
import { trainGbdt } from '../models/gbdt';
import { closeHelperThreads } from '../models/gbdt/parallel/parallel-kernels';
import { trainXGBoostHist, predictWithXGBoost, xgboostVersion } from '../scripts/xgb/xgboost-python';
import { buildKlineDataset, splitChronological } from './gbdt-dataset';
import { benchReport, ratioAtMost } from './report';
import { pearson, r2 } from '../models/evaluation/metrics';

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Best-of-reps timing of ours and xgboost, alternated (the machine is shared). */
function race(
  reps: number,
  oursFit: () => ReturnType<typeof trainGbdt>,
  theirsFit: () => ReturnType<typeof trainXGBoostHist>,
): { ours: { wall: number; cpu: number }; theirs: { wall: number; cpu: number }; model: ReturnType<typeof trainGbdt>; xgb: ReturnType<typeof trainXGBoostHist> } {
  const ours = { wall: Infinity, cpu: Infinity };
  const theirs = { wall: Infinity, cpu: Infinity };
  let model!: ReturnType<typeof trainGbdt>;
  let xgb!: ReturnType<typeof trainXGBoostHist>;
  for (let rep = 0; rep < reps; rep++) {
    const s = performance.now();
    const c = process.cpuUsage();
    model = oursFit();
    const cpu = process.cpuUsage(c);
    ours.cpu = Math.min(ours.cpu, (cpu.user + cpu.system) / 1e6);
    ours.wall = Math.min(ours.wall, (performance.now() - s) / 1000);
    xgb = theirsFit();
    theirs.wall = Math.min(theirs.wall, xgb.trainSeconds);
    theirs.cpu = Math.min(theirs.cpu, xgb.trainCpuSeconds);
  }
  return { ours, theirs, model, xgb };
}

async function main(): Promise<void> {
  const version = xgboostVersion();
  const t0 = performance.now();
  const data = buildKlineDataset('BTCUSDT', process.env.GBDT_BENCH_ROWS ? Number(process.env.GBDT_BENCH_ROWS) : undefined);
  const { train, test } = splitChronological(data, 0.8);
  const buildSeconds = (performance.now() - t0) / 1000;
  const nTrees = Number(process.env.GBDT_BENCH_TREES ?? 200);
  const threads = Number(process.env.GBDT_BENCH_THREADS ?? Math.min(2, availableParallelism()));
  const shared = { max_depth: 6, eta: 0.05, max_bin: 256, lambda: 1, min_child_weight: 1 };
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores (figures drift under load; ratios are same-run)`);
  console.log(
    `dataset: BTCUSDT 1m klines → ${data.nRows} rows × ${data.nFeatures} features (train ${train.y.length}, test ${test.y.length}), built in ${buildSeconds.toFixed(1)} s`,
  );
  console.log(`params: n_estimators=${nTrees} ${Object.entries(shared).map(([k, v]) => `${k}=${v}`).join(' ')}; python xgboost ${version}\n`);

  // Warm up the JIT on a small slice so the timing reflects steady-state code, and start the
  // helper threads (once per process, like xgboost's thread pool) before anything is timed.
  const warm = { X: train.X.subarray(0, 20000 * data.nFeatures), y: train.y.subarray(0, 20000) };
  trainGbdt(warm.X, warm.y, data.nFeatures, { ...shared, n_estimators: 5 });
  const ts = performance.now();
  if (threads > 1) trainGbdt(warm.X, warm.y, data.nFeatures, { ...shared, n_estimators: 5 }, undefined, { threads });
  const threadStart = (performance.now() - ts) / 1000;

  const reps = Number(process.env.GBDT_BENCH_REPS ?? 2);
  const report = benchReport('gbdt');
  const trainMean = train.y.reduce((a, b) => a + b, 0) / train.y.length;
  const r2Constant = r2(test.y, new Float64Array(test.y.length).fill(trainMean));

  // 1 thread: CPU time of each process (it does not count time spent waiting for a core).
  const one = race(
    reps,
    () => trainGbdt(train.X, train.y, data.nFeatures, { ...shared, n_estimators: nTrees }),
    () => trainXGBoostHist(train, test.X, data.nFeatures, nTrees, { ...shared, seed: 0, nthread: 1 }),
  );
  const s = performance.now();
  const oursPred = one.model.predict(test.X);
  const oursPredict = (performance.now() - s) / 1000;
  const exported = predictWithXGBoost(one.model.toXGBoostJSONString(data.featureNames), test.X, data.nFeatures);
  const r2Ours = r2(test.y, oursPred);
  const r2Xgb = r2(test.y, one.xgb.testPred);
  const rows: [string, string, string][] = [
    [`train CPU time (s, best of ${reps})`, one.ours.cpu.toFixed(2), one.theirs.cpu.toFixed(2)],
    [`train wall time (s, best of ${reps})`, one.ours.wall.toFixed(2), one.theirs.wall.toFixed(2)],
    ['predict time (s)', oursPredict.toFixed(3), one.xgb.predictSeconds.toFixed(3)],
    ['test R²', r2Ours.toFixed(5), r2Xgb.toFixed(5)],
  ];
  console.log(`1 thread${' '.repeat(24)}${'trainflow'.padStart(12)}${'xgboost'.padStart(12)}`);
  for (const [name, a, b] of rows) console.log(`${name.padEnd(32)}${a.padStart(12)}${b.padStart(12)}`);
  const ratio1 = one.ours.cpu / one.theirs.cpu;
  const dR2 = r2Ours - r2Xgb;
  console.log(`RATIO 1 thread: train CPU time ours/xgboost nthread=1: ${ratio1.toFixed(2)}× (wall ${(one.ours.wall / one.theirs.wall).toFixed(2)}×)   (target ≤ 1.0×) ${ratio1 <= 1 ? 'OK' : 'MISSED'}`);
  console.log(`RATIO 1 thread: test R² ours − xgboost: ${dR2.toFixed(5)}   (target |Δ| ≤ 0.005) ${Math.abs(dR2) <= 0.005 ? 'OK' : 'MISSED'}`);
  console.log(`(context: predicting the training mean gives test R² ${r2Constant.toFixed(5)}; 15-minute returns are mostly noise)`);
  console.log(`prediction agreement ours vs xgboost-trained: corr ${pearson(oursPred, one.xgb.testPred).toFixed(4)}, max |Δ| ${maxAbsDiff(oursPred, one.xgb.testPred).toExponential(2)}`);
  console.log(`our export loaded in python xgboost vs our predict: max |Δ| ${maxAbsDiff(oursPred, exported).toExponential(2)}\n`);
  report.figure({ name: `1 thread: train CPU time, ${nTrees} trees, ${train.y.length} rows × ${data.nFeatures} (best of ${reps})`, value: one.ours.cpu, unit: 's', ...ratioAtMost(one.ours.cpu, { name: 'python xgboost hist, nthread=1', value: one.theirs.cpu }, 1) });
  report.figure({ name: '1 thread: train wall time', value: one.ours.wall, unit: 's', baseline: { name: 'python xgboost hist, nthread=1', value: one.theirs.wall }, ratio: one.ours.wall / one.theirs.wall });
  report.figure({ name: '1 thread: test R² difference ours − xgboost', value: dR2, unit: '', target: '|Δ| ≤ 0.005', met: Math.abs(dR2) <= 0.005 });
  report.note(`python xgboost ${version}; test R² ours ${r2Ours.toFixed(5)}, xgboost ${r2Xgb.toFixed(5)}, predicting the training mean ${r2Constant.toFixed(5)}`);

  if (threads > 1) {
    // N threads: wall time (CPU time adds up over threads); both sides get the same N.
    const loadBefore = loadavg()[0];
    const many = race(
      reps,
      () => trainGbdt(train.X, train.y, data.nFeatures, { ...shared, n_estimators: nTrees }, undefined, { threads }),
      () => trainXGBoostHist(train, test.X, data.nFeatures, nTrees, { ...shared, seed: 0, nthread: threads }),
    );
    const predN = many.model.predict(test.X);
    const r2N = r2(test.y, predN);
    const r2XgbN = r2(test.y, many.xgb.testPred);
    const ratioN = many.ours.wall / many.theirs.wall;
    // Wall times on N threads only mean something when the cores are about free: on an
    // oversubscribed machine xgboost's OpenMP threads spin-wait for each other (seen: 98 s instead
    // of 2 s at load 13 on 2 cores), which would make any ratio look met. The 1-minute load
    // includes this benchmark's own ~1.
    const busiest = Math.max(loadBefore, loadavg()[0]);
    const judged = busiest < availableParallelism();
    const dR2N = r2N - r2XgbN;
    console.log(`${threads} threads${' '.repeat(23)}${'trainflow'.padStart(12)}${'xgboost'.padStart(12)}`);
    console.log(`${`train wall time (s, best of ${reps})`.padEnd(32)}${many.ours.wall.toFixed(2).padStart(12)}${many.theirs.wall.toFixed(2).padStart(12)}`);
    console.log(`${`train CPU time (s, best of ${reps})`.padEnd(32)}${many.ours.cpu.toFixed(2).padStart(12)}${many.theirs.cpu.toFixed(2).padStart(12)}`);
    console.log(`${'test R²'.padEnd(32)}${r2N.toFixed(5).padStart(12)}${r2XgbN.toFixed(5).padStart(12)}`);
    const verdict = !judged ? `NOT JUDGED (load ${busiest.toFixed(1)} on ${availableParallelism()} cores: ${threads} threads need free cores)` : ratioN <= 1 ? 'OK' : 'MISSED';
    console.log(`RATIO ${threads} threads: train wall time ours/xgboost nthread=${threads}: ${ratioN.toFixed(2)}×   (target ≤ 1.0×) ${verdict}`);
    console.log(`RATIO ${threads} threads: test R² ours − xgboost: ${dR2N.toFixed(5)}   (target |Δ| ≤ 0.005) ${Math.abs(dR2N) <= 0.005 ? 'OK' : 'MISSED'}`);
    console.log(`speed-up on ${threads} threads: ours ${(one.ours.wall / many.ours.wall).toFixed(2)}×, xgboost ${(one.theirs.wall / many.theirs.wall).toFixed(2)}×; same model as 1 thread: max |Δ pred| ${maxAbsDiff(predN, oursPred).toExponential(2)}`);
    console.log(`(our ${threads - 1} helper thread(s) started once per process before timing: ${threadStart.toFixed(2)} s incl. a 5-tree warm-up fit)`);
    const nFigure = ratioAtMost(many.ours.wall, { name: `python xgboost hist, nthread=${threads}`, value: many.theirs.wall }, 1);
    if (!judged) {
      delete nFigure.met;
      nFigure.target = `≤ 1× (not judged: load ${busiest.toFixed(1)} on ${availableParallelism()} cores)`;
    }
    report.figure({ name: `${threads} threads: train wall time (best of ${reps})`, value: many.ours.wall, unit: 's', ...nFigure });
    report.figure({ name: `${threads} threads: test R² difference ours − xgboost`, value: dR2N, unit: '', target: '|Δ| ≤ 0.005', met: Math.abs(dR2N) <= 0.005 });
  }
  report.done();
  await closeHelperThreads();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
