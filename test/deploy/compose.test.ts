// deploy/compose.yaml, validated without a Docker engine (there is none here): by a Compose CLI's
// `config` (the docker compose plugin, or Debian's docker-compose, which scripts/ensure-deps.sh
// installs), and structurally: the services a multi-machine deployment needs, wired the way
// Trainflow's configuration reads them, with no secret in the file.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../config';
import { archiveBaseUrl } from '../../activities/binance/archive-client';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { paths } from '../../stack/tools';

const file = path.join(paths.root, 'deploy', 'compose.yaml');
const env = { ...process.env, POSTGRES_PASSWORD: 'pg-secret-for-test', REDIS_PASSWORD: 'redis-secret-for-test' };

function composeCli(): string[] {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  throw new Error('no Compose CLI (docker compose or docker-compose): run scripts/ensure-deps.sh');
}

function resolved(profiles: string[], extra: Record<string, string> = {}): any {
  const [cmd, ...pre] = composeCli();
  const out = execFileSync(cmd, [...pre, '-f', file, ...profiles.flatMap((p) => ['--profile', p]), 'config'], { env: { ...env, ...extra }, encoding: 'utf8' });
  return parse(out);
}

describe('deploy/compose.yaml', () => {
  it('is a valid Compose file for its Compose CLI (no engine needed), and refuses to start without its secrets', () => {
    const all = resolved(['core', 'workers']);
    expect(Object.keys(all.services).sort()).toEqual(['postgresql', 'redis', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker']);
    const [cmd, ...pre] = composeCli();
    const noSecrets = spawnSync(cmd, [...pre, '-f', file, '--profile', 'core', 'config'], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(noSecrets.status).not.toBe(0);
    expect(noSecrets.stderr + noSecrets.stdout).toMatch(/set (POSTGRES|REDIS)_PASSWORD/);
  });

  it('runs Temporal on PostgreSQL with its UI, Redis with AOF, and N workers configured the way config.ts reads them', () => {
    const c = resolved(['core', 'workers']);
    const s = c.services;
    expect(s.postgresql.image).toMatch(/^postgres:/);
    expect(s.temporal.image).toMatch(/^temporalio\/server:/);
    expect(s.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(s.temporal.depends_on['temporal-schema'].condition).toBe('service_completed_successfully');
    expect(s['temporal-schema'].depends_on.postgresql.condition).toBe('service_healthy');
    expect(s['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    const redisCmd = [].concat(s.redis.command).join(' ');
    expect(redisCmd).toMatch(/--appendonly yes/);
    expect(s.redis.volumes.some((v: any) => (typeof v === 'string' ? v : v.target ?? '').includes('/data'))).toBe(true);
    for (const a of SEARCH_ATTRIBUTES) expect([].concat(s['temporal-setup'].command).join(' ')).toContain(a.name);
    // The workers: several replicas, and an environment this checkout's config understands.
    const w = s.worker;
    expect(w.deploy.replicas).toBeGreaterThanOrEqual(2);
    const dockerfile = readFileSync(path.join(paths.root, w.build.context === '..' ? '.' : '', 'deploy', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/worker\.ts/);
    expect(dockerfile).toMatch(/npm ci/);
    const config = loadConfig(w.environment);
    expect(config).toMatchObject({ temporalAddress: 'temporal:7233', taskQueue: 'trainflow', binanceBaseUrl: 'https://api.binance.com', dataDir: '/data' });
    expect(config.redisUrl).toBe('redis://:redis-secret-for-test@redis:6379');
    // Past days from Binance's bulk archives unless a mirror is named.
    expect(archiveBaseUrl(config.binanceBaseUrl, config.binanceArchiveUrl)).toBe('https://data.binance.vision');
    const mirrored = loadConfig(resolved(['workers'], { BINANCE_ARCHIVE_URL: 'https://mirror.internal' }).services.worker.environment);
    expect(archiveBaseUrl(mirrored.binanceBaseUrl, mirrored.binanceArchiveUrl)).toBe('https://mirror.internal');
    // On a worker machine, the core machine's host replaces the service names.
    const remote = loadConfig(resolved(['workers'], { TRAINFLOW_CORE_HOST: 'core.internal' }).services.worker.environment);
    expect(remote.temporalAddress).toBe('core.internal:7233');
    expect(remote.redisUrl).toBe('redis://:redis-secret-for-test@core.internal:6379');
  });

  it('holds no secret itself: passwords come from the environment', () => {
    const text = readFileSync(file, 'utf8');
    const values = [...text.matchAll(/^\s*[A-Z_]*(?:PASSWORD|PWD|AUTH):[ \t]*(\S+)/gm)].map((m) => m[1]);
    expect(values.length).toBeGreaterThanOrEqual(4);
    for (const v of values) expect(v).toMatch(/^\$\{[A-Z_]+:\?/);
    expect(text).toMatch(/"--requirepass", "\$\{REDIS_PASSWORD:\?/);
  });
});
