// Connecting to a secured Temporal cluster: a TLS front (mutual TLS, API key checked as Temporal
// Cloud does) before the run's dev server. The worker (its own process) and the client take the
// address, TLS files, server name and API key from the environment, or from a Temporal config file
// (TOML profile); a run goes through end to end. Wrong settings are refused with messages that
// name no secret.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { useRedis } from '../support/redis';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { makeTestPki, pem, type TestPki } from '../support/certs';
import { startTlsProxy, type TlsProxy } from '../support/tls-proxy';
import { compileYaml } from '../support/pipelines';
import { loadConfig, STACK_PORTS } from '../../config';
import { connectClient } from '../../cli/connect';
import { startRun } from '../../cli/run';
import { temporalConnectionOptions, describeTemporal } from '../../runtime/temporal-config';
import { paths } from '../../stack/tools';
import type { RunState } from '../../workflows/run-state';

const redis = useRedis();
const dir = path.join(paths.var, 'test', `tls-${randomUUID().slice(0, 8)}`);
const API_KEY = `tf-key-${randomUUID()}`;
let pki: TestPki;
let proxy: TlsProxy;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  pki = makeTestPki(path.join(dir, 'pki'));
  proxy = await startTlsProxy({ target: inject('temporalAddress'), cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert, apiKey: API_KEY });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

function clusterEnv(over: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_API_KEY: API_KEY,
    TEMPORAL_TLS_SERVER_NAME: pki.serverName,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert,
    TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey,
    ...over,
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

const echo = compileYaml(`name: tls-echo
stages:
  hello: { uses: core.echo, with: { message: "through TLS" } }
  again: { uses: core.echo, needs: hello, with: { message: "\${{ stages.hello.outputs.message }} twice" } }
`);

/** Secrets that must never be printed: the API key and every line of the client's private key. */
function secretLines(): string[] {
  return [API_KEY, ...pem(pki.clientKey).split('\n').filter((l) => l.length > 16 && !l.startsWith('-----'))];
}

describe('Temporal cluster connection (TLS, client certificate, API key)', () => {
  it('the local stack stays the default: plain gRPC on loopback; an API key alone turns TLS on', () => {
    const local = loadConfig({});
    expect(local.temporalAddress).toBe(`127.0.0.1:${STACK_PORTS.temporal}`);
    expect(local.namespace).toBe('default');
    expect(temporalConnectionOptions(local)).toEqual({ address: local.temporalAddress });
    const cloud = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'k' });
    expect(temporalConnectionOptions(cloud)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: true, apiKey: 'k' });
    expect(describeTemporal(cloud)).toBe('ns.acct.tmprl.cloud:7233, namespace ns.acct, TLS, API key');
  });

  it('a worker and the client configured by the environment run a pipeline through mutual TLS with an API key', async () => {
    const env = clusterEnv({ TRAINFLOW_TASK_QUEUE: `tls-${randomUUID().slice(0, 8)}`, REDIS_URL: redis.url });
    const config = loadConfig(env);
    expect(config.temporalAddress).toBe(proxy.address);
    const before = proxy.stats.calls;
    const worker = spawnWorker(config, inject('workflowBundlePath'), env);
    workers.push(worker);
    const client = await connectClient(config);
    const handle = await startRun(client, config, echo);
    const state = (await handle.result()) as RunState;
    expect(state.status).toBe('succeeded');
    expect((state.stages.again.outputs as { message: string }).message).toBe('through TLS twice');
    // Everything went through the TLS front (the worker knows no other address), with our client cert.
    expect(proxy.stats.calls - before).toBeGreaterThan(5);
    expect(proxy.stats.clientSubjects.has('client')).toBe(true);
    await worker.stop();
    const out = worker.output();
    expect(out).toMatch(/worker: task queue '.*' on 127\.0\.0\.1:\d+, namespace default, TLS \(client certificate, CA .*ca\.crt, server name temporal\.trainflow\.test\), API key/);
    for (const s of secretLines()) expect(out).not.toContain(s);
  }, 90_000);

  it('reads a profile from a Temporal config file (TOML); TEMPORAL_* variables override it', async () => {
    const file = path.join(dir, 'temporal.toml');
    writeFileSync(file, `[profile.cluster]
address = "${proxy.address}"
namespace = "default"
api_key = "${API_KEY}"

[profile.cluster.tls]
server_name = "${pki.serverName}"
server_ca_cert_path = "${pki.caCert}"
client_cert_path = "${pki.clientCert}"
client_key_path = "${pki.clientKey}"
`);
    const config = loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cluster' });
    expect(config.temporalAddress).toBe(proxy.address);
    const client = await connectClient(config);
    const info = await client.workflowService.getSystemInfo({});
    expect(info.capabilities).toBeTruthy();
    // The environment wins over the file: a wrong key from the environment is refused.
    const wrong = `tf-wrong-${randomUUID()}`;
    const err = await connectClient(loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cluster', TEMPORAL_API_KEY: wrong })).then(() => undefined, (e: Error) => e.message);
    expect(err).toMatch(/UNAUTHENTICATED/);
    expect(err).not.toContain(wrong);
    expect(err).not.toContain(API_KEY);
  });

  it('refuses a wrong API key, a missing client certificate and an untrusted server, naming no secret', async () => {
    const wrong = `tf-wrong-${randomUUID()}`;
    const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
      ['wrong API key', { TEMPORAL_API_KEY: wrong }, /UNAUTHENTICATED/],
      ['no client certificate', { TEMPORAL_TLS_CLIENT_CERT_PATH: undefined, TEMPORAL_TLS_CLIENT_KEY_PATH: undefined }, /cannot reach Temporal/],
      ['server signed by another CA', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.otherCaCert }, /cannot reach Temporal/],
      ['plain gRPC to a TLS server', { TEMPORAL_API_KEY: undefined, TEMPORAL_TLS: 'false' }, /cannot reach Temporal/],
    ];
    for (const [what, over, expected] of cases) {
      const err = await connectClient(loadConfig(clusterEnv(over))).then(() => undefined, (e: Error) => e.message);
      expect(err, what).toMatch(expected);
      for (const s of [wrong, ...secretLines()]) expect(err, what).not.toContain(s);
    }
  }, 60_000);

  it('a config file with a syntax error is reported by position, without quoting the line (it may hold the key)', () => {
    const file = path.join(dir, 'broken.toml');
    writeFileSync(file, `[profile.default]\naddress = "x:7233"\napi_key = "${API_KEY}\n`);
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: file })).toThrow(/broken\.toml.*line 3/);
    try {
      loadConfig({ TEMPORAL_CONFIG_FILE: file });
    } catch (e) {
      expect((e as Error).message).not.toContain(API_KEY);
    }
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: path.join(dir, 'missing.toml') })).toThrow(/missing\.toml, which does not exist/);
  });
});
