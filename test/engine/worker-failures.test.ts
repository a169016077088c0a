// Clear failures instead of silence: a worker that cannot reach Redis or Temporal at start says so
// and exits non-zero; SIGTERM stops a worker within its grace period; a Redis outage mid-run fails
// the stage with an error that says Redis; `client run` on a task queue nobody polls says so.
// Real worker processes, the run's Temporal dev server, real redis-servers.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { useRedis } from '../support/redis';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { clientEnv } from '../support/client-process';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { loadConfig, type Config } from '../../config';
import { paths } from '../../stack/tools';
import { freePort } from '../../stack/ports';
import { startRedis, type RedisProcess } from '../../stack/redis';
import { statusQuery } from '../../workflows/messages';

const redis = useRedis();
let client: Client;
let connection: Connection;
const workers: WorkerProcess[] = [];

function config(overrides: Partial<Config> = {}): Config {
  const queue = `failures-${randomUUID().slice(0, 8)}`;
  return {
    ...loadConfig({}),
    temporalAddress: inject('temporalAddress'),
    taskQueue: queue,
    redisUrl: redis.url,
    dataDir: path.join(paths.var, 'test', queue),
    ...overrides,
  };
}

function worker(cfg: Config, env: NodeJS.ProcessEnv = {}): WorkerProcess {
  const w = spawnWorker(cfg, inject('workflowBundlePath'), env);
  workers.push(w);
  return w;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.crash()));
  await connection?.close();
});

const sleepPlan = (ms: number, ignoreCancel = false) =>
  compileYaml(`
name: sleeper
stages:
  nap:
    uses: core.sleep
    with: { ms: ${ms}, ignoreCancel: ${ignoreCancel} }
    timeout: { startToClose: 5m, heartbeat: 2s }
    retry: { maxAttempts: 5, initialInterval: 100ms }
`);

describe('worker start-up', () => {
  it('exits non-zero with one line naming Redis when Redis is unreachable', async () => {
    const port = await freePort();
    const w = worker(config({ redisUrl: `redis://127.0.0.1:${port}` }));
    const code = await w.exited;
    const out = w.output();
    expect(code).toBe(1);
    expect(out).toContain(`worker: cannot reach Redis at redis://127.0.0.1:${port} (`);
    expect(out).not.toMatch(/Unhandled error event/);
    expect(out.match(/ECONNREFUSED/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(out).not.toMatch(/^\s+at /m); // no stack trace
  }, 90_000);

  it('exits non-zero naming Temporal when Temporal is unreachable', async () => {
    const port = await freePort();
    const w = worker(config({ temporalAddress: `127.0.0.1:${port}` }));
    expect(await w.exited).toBe(1);
    expect(w.output()).toContain(`worker: cannot reach Temporal at 127.0.0.1:${port} (`);
    expect(w.output()).not.toMatch(/^\s+at /m);
  }, 90_000);
});

describe('worker shutdown', () => {
  async function startedNap(cfg: Config, plan: ReturnType<typeof sleepPlan>) {
    const handle = await startRun(client, cfg, plan);
    await waitFor('the nap to start', async () => {
      const desc = await handle.describe();
      return (desc.raw.pendingActivities ?? []).some((a) => a.lastStartedTime) || undefined;
    });
    return handle;
  }

  it('SIGTERM: the running activity is cancelled, the worker exits 0 within its grace, the stage resumes elsewhere', async () => {
    const cfg = config();
    const first = worker(cfg, { TRAINFLOW_SHUTDOWN_GRACE: '5s' });
    const handle = await startedNap(cfg, sleepPlan(6000));
    const t0 = Date.now();
    first.child.kill('SIGTERM');
    const code = await first.exited;
    const took = Date.now() - t0;
    expect(code).toBe(0);
    expect(took).toBeLessThan(5000);
    expect(first.output()).toMatch(/worker: SIGTERM: no new tasks/);
    expect(first.output()).toMatch(/worker: stopped/);
    worker(cfg);
    await handle.result();
    const attempts = (await handle.fetchHistory()).events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(Math.max(...attempts.map(Number))).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('SIGTERM: an activity that ignores cancellation does not keep the worker past its grace period', async () => {
    const cfg = config();
    const w = worker(cfg, { TRAINFLOW_SHUTDOWN_GRACE: '3s' });
    const handle = await startedNap(cfg, sleepPlan(120_000, true));
    const t0 = Date.now();
    w.child.kill('SIGTERM');
    const code = await w.exited;
    const took = Date.now() - t0;
    expect(code).toBe(1);
    expect(took).toBeGreaterThanOrEqual(2500);
    expect(took).toBeLessThan(3000 + 4000);
    expect(w.output()).toMatch(/still running after the 3s grace period; exiting anyway/);
    await handle.terminate('test done');
  }, 120_000);
});

describe('Redis lost during a run', () => {
  let own: RedisProcess;
  beforeAll(async () => {
    own = await startRedis({ dir: path.join(paths.var, 'test', `redis-lost-${randomUUID().slice(0, 8)}`) });
  });
  afterAll(() => own?.stop());

  it('fails the stage with an error that names Redis, logs the outage once and its end', async () => {
    const cfg = config({ redisUrl: own.url });
    const w = worker(cfg);
    await waitFor('the worker to start', () => w.output().includes('worker: task queue') || undefined);
    const dir = path.join(cfg.dataDir, 'in');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'trades.jsonl');
    writeFileSync(file, JSON.stringify({ symbol: 'BTCUSDT', side: 'long', entry_time_ms: 1680307200000, exit_time_ms: 1680310800000, entry_price: 28000, exit_price: 28100, pnl_pct: 0.357, source: 'redis-lost-test' }) + '\n');
    const plan = compileYaml(`
name: needs-redis
stages:
  import: { uses: trades.import, with: { file: "${file}", stream: "lost.trades" }, retry: { maxAttempts: 1 } }
`);
    await own.stop();
    const handle = await startRun(client, cfg, plan);
    const failure = await handle.result().then(() => 'succeeded', (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(failure).toMatch(new RegExp(`stage 'import' failed: (RedisUnavailable: )?Redis at ${own.url.replace(/[.]/g, '\\.')} is unreachable`));
    expect(w.output().match(/worker: lost Redis at/g)).toHaveLength(1);
    expect(w.output()).not.toMatch(/Unhandled error event/);
    await own.restart();
    await waitFor('the worker to see Redis again', () => w.output().includes(`worker: Redis at ${own.url} is back`) || undefined, 30_000);
    // And it works again.
    const again = await startRun(client, cfg, plan);
    expect((await again.result()).stages.import.status).toBe('succeeded');
  }, 120_000);
});

describe('client run with no worker', () => {
  it('prints a hint naming the task queue after a few seconds', async () => {
    const cfg = config();
    const dir = path.join(cfg.dataDir, 'p');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'lonely.yaml');
    writeFileSync(file, 'name: lonely\nstages:\n  a: { uses: core.echo, with: { message: hi } }\n');
    const child = spawn(path.join(paths.root, 'node_modules/.bin/tsx'), [path.join(paths.root, 'client.ts'), 'run', file], { env: clientEnv(cfg), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const started = await waitFor('the run to start', () => /started (\S+)/.exec(out)?.[1]);
      const t0 = Date.now();
      await waitFor('the hint', () => out.includes('hint: no worker is polling') || undefined, 30_000);
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(out).toContain(`hint: no worker is polling task queue '${cfg.taskQueue}'`);
      expect(out).toContain(`TRAINFLOW_TASK_QUEUE=${cfg.taskQueue} npm run worker`);
      // A worker comes: the run completes and the client exits 0.
      worker(cfg);
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      expect((await client.workflow.getHandle(started).query(statusQuery)).status).toBe('succeeded');
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
