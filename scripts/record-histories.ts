// Records workflow histories from real runs of example pipelines into test/fixtures/histories,
// for the replay test. Existing recordings are never overwritten: they are what runs made by
// older interpreters look like, and today's code must keep replaying them. After an intentional,
// patched change to the interpreter, add a pipeline below that exercises it and run
//   npx tsx scripts/record-histories.ts            # records every pipeline without a fixture
//   npx tsx scripts/record-histories.ts NAME...    # only these (still refusing to overwrite)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { paths, temporalCli } from '../stack/tools';
import { compileOrThrow, startDevEngine } from '../stack/dev-engine';
import type { PipelineInput } from '../workflows/pipeline';
import { pauseUpdate, resumeUpdate } from '../workflows/messages';

interface Recording {
  yaml: string;
  params?: Record<string, unknown>;
  maxHistoryEvents?: number;
  cancelAfterMs?: number;
  /** `client pause` after this long, `client resume` after `resumeAfterMs`. */
  pauseAfterMs?: number;
  resumeAfterMs?: number;
  /** Run it once before the recorded run (which then finds the first one's stage cache). */
  warmUp?: boolean;
}

const PIPELINES: Record<string, Recording> = {
  diamond: {
    yaml: `name: diamond
stages:
  top: { uses: core.echo, with: { message: top } }
  left: { uses: core.sleep, needs: top, with: { ms: 300 } }
  right: { uses: core.sleep, needs: top, with: { ms: 300 } }
  join: { uses: core.echo, needs: [left, right], with: { value: "\${{ stages.left.outputs.finishedAt > 0 }}" } }
`,
  },
  'retry-then-fail': {
    yaml: `name: retry-then-fail
stages:
  ok: { uses: core.echo, with: { message: ok } }
  boom: { uses: core.fail, needs: ok, with: { message: no }, retry: { maxAttempts: 2, initialInterval: 100ms } }
  after: { uses: core.echo, needs: boom }
`,
  },
  'when-and-foreach': {
    yaml: `name: when-and-foreach
params:
  items: { type: array, default: [a, b, c] }
  go: { type: boolean, default: false }
stages:
  each: { uses: core.echo, forEach: "\${{ params.items }}", concurrency: 2, with: { message: "\${{ item }}" } }
  maybe: { uses: core.echo, needs: each, when: "\${{ params.go }}" }
  after: { uses: core.echo, needs: maybe }
`,
  },
  'continue-as-new': {
    yaml: `name: continue-as-new
stages:
  each: { uses: core.noop, forEach: "\${{ range(12) }}", concurrency: 3, with: { index: "\${{ item }}" } }
`,
    maxHistoryEvents: 25,
  },
  cancelled: {
    yaml: `name: cancelled
stages:
  slow: { uses: core.sleep, with: { ms: 30000 }, timeout: { heartbeat: 2s } }
`,
    cancelAfterMs: 1000,
  },
  // Since the `pipeline-outcome` patch: the PipelineOutcome search attribute and memo at the end.
  'outcome-skipped-and-failed': {
    yaml: `name: outcome-skipped-and-failed
stages:
  ok: { uses: core.echo, with: { message: ok } }
  maybe: { uses: core.echo, needs: ok, when: "\${{ false }}" }
  boom: { uses: core.fail, needs: ok, with: { message: no }, retry: { maxAttempts: 1 } }
`,
  },
  // Since the `when-status-functions` patch: clean-up stages after a failure.
  'when-always-after-failure': {
    yaml: `name: when-always-after-failure
stages:
  ok: { uses: core.echo, with: { message: ok } }
  boom: { uses: core.fail, needs: ok, with: { message: no }, retry: { maxAttempts: 1 } }
  after: { uses: core.echo, needs: boom }
  notify: { uses: core.echo, needs: after, when: always(), with: { message: "boom \${{ stages.boom.status }}" } }
  onFailure: { uses: core.echo, needs: boom, when: failure() }
`,
  },
  // Since the `stage-cache` patch: a second run whose cached stage and fan-out items are reused,
  // and a stage whose input changed (a miss).
  'stage-cache-hits': {
    yaml: `name: stage-cache-hits
stages:
  slow: { uses: core.sleep, with: { ms: 200 }, cache: true, timeout: { heartbeat: 2s } }
  each: { uses: core.echo, needs: slow, cache: true, forEach: "\${{ range(3) }}", with: { value: "\${{ item }}" } }
  fresh: { uses: core.echo, needs: each, cache: true, with: { value: "\${{ run.id }}" } }
`,
    warmUp: true,
  },
  // Pause and resume (updates in the history): the fan-out and the next stage wait.
  'paused-and-resumed': {
    yaml: `name: paused-and-resumed
stages:
  first: { uses: core.sleep, with: { ms: 1000 }, timeout: { heartbeat: 2s } }
  each: { uses: core.echo, needs: first, forEach: "\${{ range(3) }}", with: { value: "\${{ item }}" } }
`,
    pauseAfterMs: 300,
    resumeAfterMs: 2000,
  },
  // Since the `activity-slots` patch: a fan-out wider than the run's cap of 500 scheduled
  // activities, and a parallel stage that waits for a slot.
  'activity-slots': {
    yaml: `name: activity-slots
stages:
  each: { uses: core.noop, forEach: "\${{ range(520) }}", with: { index: "\${{ item }}" } }
  side: { uses: core.echo, with: { message: side } }
`,
  },
  // Since the `stage-end-signal` patch: the loop wakes on one signal at each stage end, while
  // running and while paused (parallel stages of different lengths, a fan-out, a join).
  'stage-end-signal': {
    yaml: `name: stage-end-signal
stages:
  a: { uses: core.sleep, with: { ms: 200 }, timeout: { heartbeat: 2s } }
  b: { uses: core.sleep, with: { ms: 800 }, timeout: { heartbeat: 2s } }
  c: { uses: core.echo, with: { message: c } }
  each: { uses: core.echo, needs: a, forEach: "\${{ range(4) }}", concurrency: 2, with: { value: "\${{ item }}" } }
  join: { uses: core.echo, needs: [b, each, c] }
  last: { uses: core.sleep, needs: join, with: { ms: 200 }, timeout: { heartbeat: 2s } }
`,
    pauseAfterMs: 500,
    resumeAfterMs: 1500,
  },
};

async function main(names: string[]): Promise<void> {
  const out = path.join(paths.root, 'test', 'fixtures', 'histories');
  for (const n of names) if (!PIPELINES[n]) throw new Error(`no pipeline '${n}' in ${__filename}`);
  const todo = (names.length ? names : Object.keys(PIPELINES)).filter((n) => {
    if (!existsSync(path.join(out, `${n}.json`))) return true;
    console.log(`kept ${n}.json (already recorded; delete it by hand only if no release ever ran that code)`);
    return false;
  });
  if (!todo.length) return;
  const { env, worker, config, close } = await startDevEngine({ name: 'record' });
  try {
    mkdirSync(out, { recursive: true });
    await worker.runUntil(async () => {
      for (const name of todo) {
        const p = PIPELINES[name];
        const plan = compileOrThrow(p.yaml, `${name}.yaml`);
        const params = Object.fromEntries(Object.entries(plan.params).map(([k, v]) => [k, v.default]));
        const input: PipelineInput = { plan, params: { ...params, ...p.params }, logicalDate: '2023-04-01T00:15:00.000Z', maxHistoryEvents: p.maxHistoryEvents };
        if (p.warmUp) await env.client.workflow.execute('pipeline', { taskQueue: config.taskQueue, workflowId: `${name}-warm-up`, args: [input] });
        const handle = await env.client.workflow.start('pipeline', { taskQueue: config.taskQueue, workflowId: name, args: [input] });
        if (p.cancelAfterMs) setTimeout(() => void handle.cancel(), p.cancelAfterMs);
        if (p.pauseAfterMs) setTimeout(() => void handle.executeUpdate(pauseUpdate, { args: ['recording'] }), p.pauseAfterMs);
        if (p.resumeAfterMs) setTimeout(() => void handle.executeUpdate(resumeUpdate), p.resumeAfterMs);
        await handle.result().catch(() => undefined);
        // The first run of a continued-as-new chain shows the hand-over; every run is replayable.
        // (The Temporal CLI writes the same JSON the Web UI exports.)
        const json = execFileSync(temporalCli(), ['workflow', 'show', '--address', env.connection.options.address,
          '--workflow-id', name, '--run-id', handle.firstExecutionRunId, '--output', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
        // One line: a wide fan-out's history is about 1,700 events (0.9 MB instead of 1.4 MB).
        writeFileSync(path.join(out, `${name}.json`), `${JSON.stringify(JSON.parse(json))}\n`);
        console.log(`recorded ${name}`);
      }
    });
  } finally {
    // Also on failure: the dev server and redis-server are processes of their own.
    await close();
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
