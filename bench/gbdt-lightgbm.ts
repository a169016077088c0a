/**
 * Leaf-wise trees vs python LightGBM 4.x (1 thread), same data, same run: training time (binning +
 * boosting, CPU time of each process, best of GBDT_BENCH_REPS) and test R². Two settings: the
 * desk's LGBMRegressor(num_leaves=15, max_depth=3, min_data_in_leaf=5, learning_rate=0.05), and
 * LightGBM's own default shape (31 leaves, no depth limit, min_data_in_leaf 20), where the leaf
 * budget binds. Run: npx tsx bench/gbdt-lightgbm.ts   (env GBDT_BENCH_TREES, GBDT_BENCH_ROWS, GBDT_BENCH_REPS)
 */
import { availableParallelism, loadavg } from 'node:os';
import { trainGbdt, treeDepth, type GbdtParams } from '../models/gbdt';
import { leafIndices } from '../models/gbdt/tree';
import { trainLightGBM } from '../scripts/lightgbm/lightgbm-python';
import { predictWithXGBoost } from '../scripts/xgb/xgboost-python';
import { buildKlineDataset, splitChronological } from './gbdt-dataset';
import { benchReport, ratioAtMost } from './report';
import { r2 } from '../models/evaluation/metrics';

interface Setting {
  name: string;
  ours: GbdtParams;
  lightgbm: Record<string, number | string>;
}

const SETTINGS: Setting[] = [
  {
    name: "desk's leaf-wise model",
    // LightGBM's lambda_l2 defaults to 0 (XGBoost's lambda to 1); max_bin 255 on both sides.
    ours: { grow_policy: 'lossguide', num_leaves: 15, max_depth: 3, min_data_in_leaf: 5, eta: 0.05, lambda: 0, max_bin: 255 },
    lightgbm: { num_leaves: 15, max_depth: 3, min_data_in_leaf: 5, learning_rate: 0.05, max_bin: 255 },
  },
  {
    name: '31 leaves, no depth limit',
    ours: { grow_policy: 'lossguide', num_leaves: 31, max_depth: 0, min_data_in_leaf: 20, eta: 0.05, lambda: 0, max_bin: 255 },
    lightgbm: { num_leaves: 31, max_depth: -1, min_data_in_leaf: 20, learning_rate: 0.05, max_bin: 255 },
  },
];

function main(): void {
  const data = buildKlineDataset('BTCUSDT', process.env.GBDT_BENCH_ROWS ? Number(process.env.GBDT_BENCH_ROWS) : undefined);
  const { train, test } = splitChronological(data, 0.8);
  const nTrees = Number(process.env.GBDT_BENCH_TREES ?? 200);
  const reps = Number(process.env.GBDT_BENCH_REPS ?? 2);
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores (figures drift under load; ratios are same-run)`);
  console.log(`dataset: BTCUSDT 1m klines → train ${train.y.length} × ${data.nFeatures}, test ${test.y.length}; ${nTrees} trees; both sides 1 thread\n`);
  trainGbdt(train.X.subarray(0, 20000 * data.nFeatures), train.y.subarray(0, 20000), data.nFeatures, { ...SETTINGS[0].ours, n_estimators: 5 });
  const report = benchReport('gbdt-lightgbm');
  for (const setting of SETTINGS) {
    let ours = Infinity;
    let oursWall = Infinity;
    let theirs = Infinity;
    let theirsWall = Infinity;
    let model!: ReturnType<typeof trainGbdt>;
    let lgb!: ReturnType<typeof trainLightGBM>;
    for (let rep = 0; rep < reps; rep++) {
      const s = performance.now();
      const c = process.cpuUsage();
      model = trainGbdt(train.X, train.y, data.nFeatures, { ...setting.ours, n_estimators: nTrees });
      const cpu = process.cpuUsage(c);
      ours = Math.min(ours, (cpu.user + cpu.system) / 1e6);
      oursWall = Math.min(oursWall, (performance.now() - s) / 1000);
      lgb = trainLightGBM(train, test.X, data.nFeatures, nTrees, setting.lightgbm);
      theirs = Math.min(theirs, lgb.trainCpuSeconds);
      theirsWall = Math.min(theirsWall, lgb.trainSeconds);
    }
    const pred = model.predict(test.X);
    const r2Ours = r2(test.y, pred);
    const r2Lgb = r2(test.y, lgb.testPred);
    const leaves = model.trees.map((t) => leafIndices(t).length);
    const exported = predictWithXGBoost(model.toXGBoostJSONString(data.featureNames), test.X, data.nFeatures);
    let exportDiff = 0;
    for (let i = 0; i < pred.length; i++) exportDiff = Math.max(exportDiff, Math.abs(pred[i] - exported[i]));
    const ratio = ours / theirs;
    const dR2 = r2Ours - r2Lgb;
    console.log(`${setting.name}: ours ${JSON.stringify(setting.ours)} vs lightgbm ${lgb.lightgbm} ${JSON.stringify(setting.lightgbm)}`);
    console.log(`  train CPU time (s, best of ${reps}): ours ${ours.toFixed(2)}, lightgbm ${theirs.toFixed(2)} (wall ${oursWall.toFixed(2)} / ${theirsWall.toFixed(2)})`);
    console.log(`  test R²: ours ${r2Ours.toFixed(5)}, lightgbm ${r2Lgb.toFixed(5)}`);
    console.log(`  leaves per tree: ours max ${Math.max(...leaves)} mean ${(leaves.reduce((a, b) => a + b, 0) / leaves.length).toFixed(1)}, depth ≤ ${Math.max(...model.trees.map(treeDepth))}; lightgbm max ${lgb.maxLeaves} mean ${lgb.meanLeaves.toFixed(1)}`);
    console.log(`  our XGBoost JSON export in python xgboost vs our predict: max |Δ| ${exportDiff.toExponential(2)}`);
    console.log(`RATIO ${setting.name}: train CPU time ours/lightgbm: ${ratio.toFixed(2)}×   (target ≤ 1.5×) ${ratio <= 1.5 ? 'OK' : 'MISSED'}`);
    console.log(`RATIO ${setting.name}: test R² ours − lightgbm: ${dR2.toFixed(5)}   (target |Δ| ≤ 0.005) ${Math.abs(dR2) <= 0.005 ? 'OK' : 'MISSED'}\n`);
    report.figure({ name: `${setting.name}: train CPU time, ${nTrees} trees (best of ${reps})`, value: ours, unit: 's', ...ratioAtMost(ours, { name: 'python lightgbm, 1 thread', value: theirs }, 1.5) });
    report.figure({ name: `${setting.name}: test R² difference ours − lightgbm`, value: dR2, unit: '', target: '|Δ| ≤ 0.005', met: Math.abs(dR2) <= 0.005 });
    report.note(`${setting.name}: test R² ours ${r2Ours.toFixed(5)}, lightgbm ${lgb.lightgbm} ${r2Lgb.toFixed(5)}`);
  }
  report.done();
}

main();
