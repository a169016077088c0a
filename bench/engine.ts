// Interpreter overhead: a 100-stage chain, a 100-wide fan-out and a plan of 1,000 independent
// stages, all no-op activities, run through the DSL and through hand-written workflows on the
// same worker and dev server, in alternating order. Prints medians and the DSL/hand ratio
// (target: at most 1.15×).
//   npx tsx bench/engine.ts [--reps 15] [--n 100] [--wide 1000] [--wide-reps 5]
import path from 'node:path';
import { compileOrThrow, startDevEngine } from '../stack/dev-engine';
import type { Plan } from '../dsl/plan';
import type { PipelineInput } from '../workflows/pipeline';
import { benchReport, ratioAtMost } from './report';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
// Fan-out runs take ~0.3 s and vary by ±30% run to run: 15 runs give a steady median.
const REPS = arg('reps', 15);
const N = arg('n', 100);
// A wide plan is where per-stage work in the interpreter shows (it grows with the stages in flight).
const WIDE = arg('wide', 1000);
const WIDE_REPS = arg('wide-reps', 5);

const retry = 'retry: { maxAttempts: 3, initialInterval: 1s, backoff: 2, maxInterval: 1m }';
const chainYaml = [`name: chain${N}`, `defaults: { ${retry} }`, 'stages:']
  .concat(Array.from({ length: N }, (_, i) => `  s${i}: { uses: core.noop, with: { index: ${i} }${i ? `, needs: s${i - 1}` : ''} }`))
  .join('\n');
const fanoutYaml = `name: fanout${N}
defaults: { ${retry} }
stages:
  each: { uses: core.noop, forEach: "\${{ range(${N}) }}", with: { index: "\${{ item }}" } }
`;

const wideYaml = [`name: wide${WIDE}`, `defaults: { ${retry} }`, 'stages:']
  .concat(Array.from({ length: WIDE }, (_, i) => `  s${i}: { uses: core.noop, with: { index: ${i} } }`))
  .join('\n');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const report = benchReport('engine');
  const { env, worker, config, close } = await startDevEngine({
    name: 'bench-engine',
    workflowsPath: path.join(__dirname, 'engine', 'workflows.ts'),
    maxConcurrentActivities: 200,
  });
  try {
    const plans = { chain: compileOrThrow(chainYaml, 'chain.yaml'), fanout: compileOrThrow(fanoutYaml, 'fanout.yaml'), wide: compileOrThrow(wideYaml, 'wide.yaml') };
    let seq = 0;
    const time = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const dsl = (plan: Plan) => () =>
      env.client.workflow.execute('pipeline', { taskQueue: config.taskQueue, workflowId: `dsl-${seq++}`, args: [{ plan, params: {} } satisfies PipelineInput] });
    const hand = (type: string, n = N) => () => env.client.workflow.execute(type, { taskQueue: config.taskQueue, workflowId: `hand-${seq++}`, args: [n] });

    const results: Record<string, { dsl: number[]; hand: number[] }> = { chain: { dsl: [], hand: [] }, fanout: { dsl: [], hand: [] }, wide: { dsl: [], hand: [] } };
    await worker.runUntil(async () => {
      await time(dsl(plans.chain)); // warm-up: workflow bundle, caches
      await time(hand('handChain'));
      for (let r = 0; r < REPS; r++) {
        const order = r % 2 === 0;
        for (const [name, handType] of [['chain', 'handChain'], ['fanout', 'handFanout']] as const) {
          if (order) {
            results[name].dsl.push(await time(dsl(plans[name])));
            results[name].hand.push(await time(hand(handType)));
          } else {
            results[name].hand.push(await time(hand(handType)));
            results[name].dsl.push(await time(dsl(plans[name])));
          }
        }
      }
      // The same activities as one Promise.all in a hand-written workflow.
      for (let r = 0; r < WIDE_REPS; r++) {
        const runs = [() => time(dsl(plans.wide)).then((ms) => results.wide.dsl.push(ms)), () => time(hand('handFanout', WIDE)).then((ms) => results.wide.hand.push(ms))];
        for (const run of r % 2 === 0 ? runs : runs.reverse()) await run();
      }
    });
    console.log(`interpreter overhead, ${N} no-op activities (${REPS} runs each) and ${WIDE} independent stages (${WIDE_REPS} runs each); median ms`);
    console.log('shape     hand-written   via DSL   ratio (target ≤ 1.15)   range hand / DSL');
    for (const [name, r] of Object.entries(results)) {
      if (!r.dsl.length) continue; // --reps 0 or --wide-reps 0
      const h = median(r.hand);
      const d = median(r.dsl);
      const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
      console.log(`${name.padEnd(9)} ${h.toFixed(0).padStart(12)} ${d.toFixed(0).padStart(9)}   ${(d / h).toFixed(3)}×${' '.repeat(16)}${range(r.hand)} / ${range(r.dsl)}`);
      const what = name === 'wide' ? `${WIDE} independent stages of no-op activities via the DSL (median of ${WIDE_REPS})` : `${name} of ${N} no-op activities via the DSL (median of ${REPS})`;
      report.figure({ name: what, value: d, unit: 'ms', ...ratioAtMost(d, { name: 'hand-written workflow', value: h }, 1.15) });
    }
    report.done();
  } finally {
    // Also on failure: the dev server and redis-server are processes of their own.
    await close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
