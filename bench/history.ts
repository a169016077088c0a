// History size of a 5-year × 20-symbol 1m backfill plan run through the interpreter. The plan is
// the real binance.planBackfill output (7-day chunks of 10 pages each); each chunk's activity is core.noop, a
// stand-in for the network (the local server holds 4 symbols, not 20 × 5 years), so what is
// measured is the engine: how many runs the chain needs and how long each run's history gets,
// with the server's own continue-as-new suggestion (4,096 events), no test threshold.
//   npx tsx bench/history.ts [--years 5] [--symbols 20] [--chunk-days 7]
import { compileOrThrow, startDevEngine } from '../stack/dev-engine';
import type { PipelineInput } from '../workflows/pipeline';
import type { RunState } from '../workflows/run-state';
import { benchReport } from './report';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const YEARS = arg('years', 5);
const SYMBOLS = arg('symbols', 20);
const CHUNK_DAYS = arg('chunk-days', 7);

const symbols = Array.from({ length: SYMBOLS }, (_, i) => `SYM${String(i).padStart(2, '0')}USDT`);
const yaml = `name: backfill-history
stages:
  plan:
    uses: binance.planBackfill
    with: { symbols: ${JSON.stringify(symbols)}, interval: 1m, from: "2019-01-01", to: "${2019 + YEARS}-01-01", barsPerChunk: ${CHUNK_DAYS * 1440} }
  backfill:
    uses: core.noop
    needs: plan
    forEach: "\${{ stages.plan.outputs.chunks }}"
    concurrency: 20
    with: { index: "\${{ index }}" }
`;

async function main(): Promise<void> {
  const report = benchReport('history');
  const plan = compileOrThrow(yaml, 'history.yaml');
  const { env, worker, config, close } = await startDevEngine({ name: 'bench-history' });
  try {
    const started = performance.now();
    const state = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('pipeline', { taskQueue: config.taskQueue, workflowId: 'history', args: [{ plan, params: {} } satisfies PipelineInput] });
      return (await handle.result()) as RunState;
    });
    const seconds = (performance.now() - started) / 1000;
    const lengths: number[] = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = "history"` })) {
      lengths.push((await env.client.workflow.getHandle('history', wf.runId).describe()).historyLength);
    }
    const chunks = (state.stages.plan.outputs as { count: number; bars: number }).count;
    console.log(`${SYMBOLS} symbols × ${YEARS} years of 1m bars, ${CHUNK_DAYS}-day chunks: ${chunks} chunk activities (${(state.stages.plan.outputs as { bars: number }).bars.toLocaleString()} bars)`);
    console.log(`runs in the continue-as-new chain: ${lengths.length} (continuedAsNew = ${state.continuedAsNew})`);
    console.log(`history events per run: max ${Math.max(...lengths)}, mean ${(lengths.reduce((a, b) => a + b, 0) / lengths.length).toFixed(0)}`);
    console.log(`  vs Temporal's continue-as-new suggestion 4,096 (ratio ${(Math.max(...lengths) / 4096).toFixed(2)}), warning 10,240, hard limit 51,200`);
    const total = lengths.reduce((a, b) => a + b, 0);
    console.log(`  one run without continue-as-new would need about ${total} events (${(total / 4096).toFixed(1)}× the suggestion, ${(total / 10240).toFixed(1)}× the warning)`);
    console.log(`wall time ${seconds.toFixed(1)} s; every chunk finished: ${(state.stages.backfill.outputs as unknown[]).length === chunks}`);
    const max = Math.max(...lengths);
    const allDone = (state.stages.backfill.outputs as unknown[]).length === chunks;
    report.figure({ name: `history events per run, max (${SYMBOLS} symbols × ${YEARS} years, ${chunks} chunks)`, value: max, unit: 'events', baseline: { name: "Temporal's continue-as-new suggestion", value: 4096 }, ratio: max / 4096, target: "below Temporal's warning (10,240)", met: max < 10_240 });
    report.figure({ name: 'runs in the continue-as-new chain', value: lengths.length, unit: 'runs' });
    report.figure({ name: 'events one run would need without continue-as-new', value: total, unit: 'events' });
    report.figure({ name: 'wall time of the whole chain', value: seconds, unit: 's', target: 'every chunk finished', met: allDone });
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
