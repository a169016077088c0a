// Secrets never leave: a Redis password (REDIS_URL), a Temporal API key and TLS key material do
// not appear in the worker's output (start-up line, connection failures, activity failures), the
// client's messages, a run's failure message, its history, memo or search attributes. Real
// redis-server with requirepass, real worker processes, the run's Temporal dev server.
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { startRedis, type RedisProcess } from '../../stack/redis';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { describeFailure } from '../../workflows/failure-message';
import { loadConfig, type Config } from '../../config';
import { paths } from '../../stack/tools';
import { redactSecrets, redactUrl, secretsOf } from '../../lib/redact';

const exec = promisify(execFile);
const PASSWORD = `pw-${randomUUID()}`;
const WRONG = `wrong-${randomUUID()}`;
const API_KEY = `key-${randomUUID()}`;
const KEY_MATERIAL = `MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg${randomUUID().replace(/-/g, '')}`;
const SECRETS = [PASSWORD, WRONG, API_KEY, KEY_MATERIAL];
const dir = path.join(paths.var, 'test', `secrets-${randomUUID().slice(0, 8)}`);

let redis: RedisProcess;
let binance: BinanceServer;
let connection: Connection;
let client: Client;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis({ dir: path.join(dir, 'redis'), password: PASSWORD });
  binance = await startBinanceServer();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
}, 30_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await connection?.close();
  await binance?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function config(redisUrl: string): Config {
  const queue = `secrets-${randomUUID().slice(0, 8)}`;
  return { ...loadConfig({}), temporalAddress: inject('temporalAddress'), taskQueue: queue, redisUrl, binanceBaseUrl: binance.url, dataDir: path.join(dir, queue) };
}

function expectNoSecret(text: string, where: string): void {
  for (const s of SECRETS) expect(text.includes(s), `${where} contains a secret:\n${text.slice(0, 4000)}`).toBe(false);
  expect(text.includes(encodeURIComponent(PASSWORD)), where).toBe(false);
}

const backfill = compileYaml(`name: secrets-backfill
stages:
  backfill:
    uses: binance.backfillKlines
    with: { symbol: BTCUSDT, interval: 1m, from: 2023-04-01, to: 2023-04-01T05:59:00Z }
    retry: { maxAttempts: 2, initialInterval: 200ms }
    timeout: { startToClose: 30s }
`);

async function everythingAbout(workflowId: string): Promise<string> {
  const handle = client.workflow.getHandle(workflowId);
  const history = await handle.fetchHistory();
  const desc = await handle.describe();
  return JSON.stringify({ history, memo: desc.memo, search: desc.searchAttributes, typed: desc.typedSearchAttributes });
}

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  try {
    const r = await exec(path.join(paths.root, 'node_modules/.bin/tsx'), [path.join(paths.root, 'client.ts'), ...args], { env: { ...process.env, ...env }, cwd: paths.root, timeout: 60_000 });
    return r.stdout + r.stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`;
  }
}

const redisUrlWith = (password: string) => `redis://:${encodeURIComponent(password)}@127.0.0.1:${redis.port}`;

describe('secrets stay out of logs, errors and histories', () => {
  it('masks passwords, keys and key material in text and URLs', () => {
    const secrets = secretsOf({ redisUrl: redisUrlWith(PASSWORD), temporal: { apiKey: API_KEY, tls: { clientKey: { data: `-----BEGIN PRIVATE KEY-----\n${KEY_MATERIAL}\n-----END PRIVATE KEY-----\n` } } } });
    const text = `AUTH ${PASSWORD} via ${redisUrlWith(PASSWORD)}; key ${API_KEY}; pem ${KEY_MATERIAL}; other redis://user:hunter22@h:1/0`;
    const masked = redactSecrets(text, secrets);
    expectNoSecret(masked, 'masked text');
    expect(masked).not.toContain('hunter22');
    expect(masked).toContain(`redis://:***@127.0.0.1:${redis.port}`);
    expect(redactUrl(redisUrlWith(PASSWORD))).toBe(`redis://:***@127.0.0.1:${redis.port}`);
    expect(redactUrl('redis://127.0.0.1:6390')).toBe('redis://127.0.0.1:6390');
  });

  it('a wrong Redis password: the run fails saying so, and no password is in the worker output, the failure, the history or `client status`', async () => {
    const cfg = config(redisUrlWith(WRONG));
    const worker = spawnWorker(cfg, inject('workflowBundlePath'));
    workers.push(worker);
    // The worker either refuses to start (a check of Redis at start) or fails the stage: both must be clean.
    const exited = new Promise<'exited'>((resolve) => worker.child.once('exit', () => resolve('exited')));
    const handle = await startRun(client, cfg, backfill);
    const outcome = await Promise.race([handle.result().then(() => 'succeeded', (e) => e), exited]);
    if (outcome === 'exited') {
      expect(worker.output()).toMatch(/Redis/);
      await client.workflow.getHandle(handle.workflowId).terminate('worker refused to start');
    } else {
      expect(outcome).toBeInstanceOf(WorkflowFailedError);
      const message = describeFailure(outcome);
      expect(message).toMatch(/WRONGPASS|Redis/);
      expectNoSecret(message, 'failure message');
    }
    await worker.stop();
    expectNoSecret(worker.output(), 'worker output');
    expectNoSecret(await everythingAbout(handle.workflowId), 'history, memo and search attributes');
    const status = await cli(['status', handle.workflowId], { TEMPORAL_ADDRESS: inject('temporalAddress'), REDIS_URL: cfg.redisUrl });
    expect(status).toContain(handle.workflowId);
    expectNoSecret(status, '`client status`');
  }, 90_000);

  it('the right Redis password: the run succeeds; the worker start-up line shows the URL with the password masked', async () => {
    const cfg = config(redisUrlWith(PASSWORD));
    const worker = spawnWorker(cfg, inject('workflowBundlePath'));
    workers.push(worker);
    const handle = await startRun(client, cfg, backfill);
    expect(((await handle.result()) as { status: string }).status).toBe('succeeded');
    await worker.stop();
    expect(worker.output()).toContain(`redis://:***@127.0.0.1:${redis.port}`);
    expectNoSecret(worker.output(), 'worker output');
    expectNoSecret(await everythingAbout(handle.workflowId), 'history, memo and search attributes');
  }, 90_000);

  it('a Temporal API key and TLS key material never appear in the messages of a failing connection (client and worker)', async () => {
    const keyPem = `-----BEGIN PRIVATE KEY-----\n${KEY_MATERIAL}\n-----END PRIVATE KEY-----\n`;
    const cases: Record<string, string>[] = [
      // An API key turns TLS on: the plain dev server cannot answer.
      { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_API_KEY: API_KEY },
      // Key material that is no key.
      { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TLS: 'true', TEMPORAL_TLS_CLIENT_CERT_DATA: keyPem.replace(/PRIVATE KEY/g, 'CERTIFICATE'), TEMPORAL_TLS_CLIENT_KEY_DATA: keyPem, TEMPORAL_API_KEY: API_KEY },
    ];
    for (const [i, env] of cases.entries()) {
      const out = await cli(['status', 'no-such-run'], env);
      expect(out).toMatch(/cannot reach Temporal|Temporal TLS/);
      expectNoSecret(out, '`client status` output');
      if (i > 0) continue; // one worker start is enough (each takes seconds on a loaded machine)
      const worker = spawnWorker({ ...config(redisUrlWith(PASSWORD)), temporalAddress: env.TEMPORAL_ADDRESS }, inject('workflowBundlePath'), env);
      workers.push(worker);
      await new Promise<void>((resolve) => worker.child.once('exit', () => resolve()));
      expect(worker.child.exitCode).not.toBe(0);
      expectNoSecret(worker.output(), 'worker output');
    }
  }, 120_000);
});
