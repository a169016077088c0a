// Runs the demo pipeline on the local stack. `--detach` returns once the run ends and leaves the
// stack running; otherwise it waits for Ctrl-C and then stops what this invocation started.
import path from 'node:path';
import { loadConfig } from '../config';
import { connectClient } from '../cli/connect';
import { compileOrExit } from '../cli/compile-file';
import { failureMessage, followRun, startRun } from '../cli/run';
import { closedRunSummary, renderSummary } from '../cli/run-summary';
import { ensureService, runningPid, spawnDetached, stackServices, stopService, STACK_PORTS } from '../stack/services';
import { paths } from '../stack/tools';
import type { RunState } from '../workflows/run-state';

const PIPELINE = path.join(paths.root, 'pipelines/demo.yaml');

async function main(): Promise<number> {
  const detach = process.argv.includes('--detach');
  const started: string[] = [];
  for (const s of stackServices()) {
    const r = await ensureService(s);
    if (r.started) started.push(s.name);
    console.log(`${s.name.padEnd(8)} ${r.started ? 'started' : 'already running'} on 127.0.0.1:${s.port}`);
  }
  const config = loadConfig({
    ...process.env,
    TEMPORAL_ADDRESS: `127.0.0.1:${STACK_PORTS.temporal}`,
    REDIS_URL: `redis://127.0.0.1:${STACK_PORTS.redis}`,
    BINANCE_BASE_URL: `http://127.0.0.1:${STACK_PORTS.binance}`,
  });
  if (!runningPid('worker')) {
    spawnDetached('worker', process.execPath, ['--import', 'tsx', path.join(paths.root, 'worker.ts')], {
      TEMPORAL_ADDRESS: config.temporalAddress,
      REDIS_URL: config.redisUrl,
      BINANCE_BASE_URL: config.binanceBaseUrl,
    });
    started.push('worker');
    console.log(`worker   started (log: var/log/worker.log)`);
  } else console.log('worker   already running');

  const plan = compileOrExit(PIPELINE);
  const client = await connectClient(config);
  const handle = await startRun(client, config, plan);
  const ui = `http://localhost:${STACK_PORTS.temporalUi}/namespaces/${config.namespace}/workflows/${handle.workflowId}`;
  console.log(`\nrunning pipeline '${plan.name}' (${handle.workflowId})\n  Web UI: ${ui}\n`);
  let code = 0;
  try {
    const state = await followRun(client, handle.workflowId, plan);
    printSummary(state);
    const summary = closedRunSummary(plan, state, 'COMPLETED')!;
    console.log(`\n${renderSummary(summary, ui)}`);
    // A run whose gate failed completed, but it did not succeed: the last line must not say so.
    const succeeded = summary.outcome === 'published' || summary.outcome === 'succeeded';
    console.log(`\npipeline ${succeeded ? 'succeeded' : `completed (outcome: ${summary.outcome})`}: ${handle.workflowId}`);
  } catch (err) {
    console.error(`\npipeline failed: ${failureMessage(err)}`);
    code = 1;
  }
  console.log(`\nWeb UI: http://localhost:${STACK_PORTS.temporalUi}  (runs of this pipeline: search Pipeline="${plan.name}")`);
  if (detach) {
    console.log('The stack keeps running; `npm run stop` stops it.');
    return code;
  }
  console.log(`The stack keeps running. Ctrl-C stops what this command started (${started.join(', ') || 'nothing'}); \`npm run stop\` stops all of it.`);
  // Signal listeners do not keep Node alive, and the Temporal connection is unref'd: hold it open.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
  // The terminal may be gone (a closed pipe): stopping matters more than saying so.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  for (const name of ['worker', 'binance', 'redis', 'temporal'].filter((n) => started.includes(n))) {
    await stopService(name);
    console.log(`stopped ${name}`);
  }
  return code;
}

/** One line per stage of what it produced, then the text summaries stages return. */
function printSummary(state: RunState): void {
  console.log('\nwhat each stage produced:');
  for (const [id, s] of Object.entries(state.stages)) console.log(`  ${id.padEnd(12)} ${s.status === 'succeeded' ? digest(s.outputs) : s.status}`);
  for (const [id, s] of Object.entries(state.stages)) {
    const summary = (s.outputs as { summary?: unknown } | undefined)?.summary;
    if (typeof summary === 'string') console.log(`\n[${id}]\n${summary}`);
  }
}

function scalars(o: Record<string, unknown>): string[] {
  return Object.entries(o)
    .filter(([k, v]) => k !== 'summary' && (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 80)))
    .slice(0, 8)
    .map(([k, v]) => `${k}=${v}`);
}

function digest(outputs: unknown): string {
  if (Array.isArray(outputs)) {
    const sums: Record<string, number> = {};
    for (const item of outputs) {
      for (const [k, v] of Object.entries((item ?? {}) as Record<string, unknown>)) if (typeof v === 'number' && k !== 'chunk') sums[k] = (sums[k] ?? 0) + v;
    }
    return `${outputs.length} items; totals ${Object.entries(sums).map(([k, v]) => `${k}=${v}`).join(' ')}`;
  }
  return outputs && typeof outputs === 'object' ? scalars(outputs as Record<string, unknown>).join(' ') : String(outputs);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
