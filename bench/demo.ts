// The demo end to end on a warm stack (`npm run demo`), stage by stage, so regressions show.
//   npx tsx bench/demo.ts          (TRAINFLOW_PORT_OFFSET picks the stack, as for npm run demo)
// A first `npm run demo -- --detach` starts whatever is not running and fills Redis (the warm-up);
// the measured run is the second one, on that warm stack: its total wall time (command start to
// exit) and each stage's time from its startedAt/finishedAt in the run's final state. The stack is
// left as it was found: services this benchmark started are stopped at the end.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { runningPid, stopService, STACK_ORDER, STACK_PORTS } from '../stack/services';
import { paths } from '../stack/tools';
import type { RunState } from '../workflows/run-state';
import { benchReport } from './report';

function runDemo(): { seconds: number; workflowId: string; output: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(paths.root, 'scripts/demo.ts'), '--detach'], { cwd: paths.root, encoding: 'utf8', env: process.env, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t) / 1000;
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`npm run demo failed (exit ${r.status}):\n${output.slice(-3000)}`);
  const id = /running pipeline '[^']+' \(([^)]+)\)/.exec(output)?.[1];
  if (!id) throw new Error(`no workflow id in the demo's output:\n${output.slice(-2000)}`);
  return { seconds, workflowId: id, output };
}

async function main(): Promise<void> {
  const report = benchReport('demo');
  const runningBefore = new Set(STACK_ORDER.filter((s) => runningPid(s)));
  try {
    const warm = runDemo();
    console.log(`warm-up run: ${warm.seconds.toFixed(1)} s (${warm.workflowId}); stack already running before: ${[...runningBefore].join(', ') || 'nothing'}`);
    const run = runDemo();
    const connection = await Connection.connect({ address: `127.0.0.1:${STACK_PORTS.temporal}` });
    let state: RunState;
    try {
      state = (await new Client({ connection }).workflow.getHandle(run.workflowId).result()) as RunState;
    } finally {
      await connection.close();
    }
    console.log(`\nmeasured run on the warm stack: ${run.workflowId}, ${run.seconds.toFixed(1)} s end to end (command start to exit)\n`);
    console.log('| stage | status | seconds |');
    console.log('|---|---|---:|');
    report.figure({ name: 'npm run demo, end to end on a warm stack', value: run.seconds, unit: 's', baseline: { name: 'warm-up run (starts what is not running, fills Redis)', value: warm.seconds }, ratio: run.seconds / warm.seconds });
    for (const [id, s] of Object.entries(state.stages)) {
      const secs = s.startedAt && s.finishedAt ? (Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000 : NaN;
      console.log(`| ${id} | ${s.status} | ${Number.isFinite(secs) ? secs.toFixed(2) : '—'} |`);
      if (Number.isFinite(secs)) report.figure({ name: `stage ${id} (${s.status})`, value: secs, unit: 's' });
    }
    report.note(`warm-up ${warm.workflowId}, measured ${run.workflowId}; stage times from the run's startedAt/finishedAt`);
    report.done();
  } finally {
    for (const name of STACK_ORDER) if (!runningBefore.has(name) && runningPid(name)) await stopService(name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
