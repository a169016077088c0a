// Stage caching: `cache: true` reuses the outputs of an earlier successful execution with the
// same activity type, activity code version and resolved input; `--no-cache` forces a run. A
// re-run after a late failure skips the slow stage. Real dev server, worker and Redis.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { clientInProcess } from '../support/client-in-process';
import { compileYaml } from '../support/pipelines';
import { compilePipeline, formatError } from '../../dsl';
import { catalog } from '../../activities/catalog';
import { startRun } from '../../cli/run';
import { paths } from '../../stack/tools';
import { codeVersion, packageOf, packageVersions, sourceClosure } from '../../activities/core/code-version';
import { cacheKey, createCacheLookup, recordingSuccesses } from '../../activities/core/stage-cache';
import type { ActivityFn } from '../../activities/context';
import { localContext } from '../../activities/context';
import type { RunState } from '../../workflows/run-state';
import { startBinanceServer, type BinanceServer } from '../../stack/binance-server/server';
import { KlineStore } from '../../activities/binance/kline-store';
import { backfillStillStored } from '../../activities/binance/cache-check';

// Registered before useStack's beforeAll: the worker is configured with this server's URL.
let binance: BinanceServer;
beforeAll(async () => {
  binance = await startBinanceServer({ latencyMs: 0 });
});
afterAll(async () => {
  await binance?.close();
});

const stack = useStack(() => ({ binanceBaseUrl: binance.url }));
const client = clientInProcess(() => stack.config);

async function scheduled(workflowId: string): Promise<string[]> {
  const events = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  return events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name!);
}

async function finalState(p: Promise<unknown>): Promise<RunState> {
  return p.then(
    (s) => s as RunState,
    (e: { cause?: { details?: Array<{ state: RunState }> } }) => e.cause!.details![0].state,
  );
}

describe('cache in the DSL', () => {
  it('takes cache from the stage or from defaults, the stage winning', () => {
    const plan = compileYaml(`
name: c
defaults: { cache: true }
stages:
  a: { uses: core.echo }
  b: { uses: core.echo, cache: false }
`);
    expect(plan.stages.find((s) => s.id === 'a')!.cache).toBe(true);
    expect(plan.stages.find((s) => s.id === 'b')!.cache).toBeUndefined();
  });

  it('refuses a cache that is not a boolean, at its line and column', () => {
    const { errors } = compilePipeline('name: c\nstages:\n  a: { uses: core.echo, cache: yes }\n', { file: 'c.yaml', catalog });
    expect(errors.map(formatError)).toEqual(["c.yaml:3:32: cache of stage 'a' must be true or false, got string 'yes'"]);
  });
});

describe('the stage cache on real runs', () => {
  it('reuses a slow stage after a late failure; --no-cache runs it again', async () => {
    const name = `cached-${randomUUID().slice(0, 6)}`;
    const yaml = (late: string) => `
name: ${name}
stages:
  backfill: { uses: core.sleep, with: { ms: 1500 }, cache: true, timeout: { heartbeat: 2s } }
  train: ${late}
`;
    const broken = compileYaml(yaml('{ uses: core.fail, needs: backfill, with: { message: late failure }, retry: { maxAttempts: 1 } }'));
    const first = await startRun(stack.client, stack.config, broken);
    const failed = await finalState(first.result());
    expect(failed.stages.train.status).toBe('failed');
    const firstBackfill = failed.stages.backfill.outputs as { startedAt: number };

    const fixed = compileYaml(yaml('{ uses: core.echo, needs: backfill, with: { value: "${{ stages.backfill.outputs.startedAt }}" } }'));
    const second = await startRun(stack.client, stack.config, fixed);
    const state = await finalState(second.result());
    expect(state.status).toBe('succeeded');
    expect(state.stages.backfill.reused).toMatchObject({ from: 'cache', workflowId: first.workflowId });
    expect(state.stages.backfill.outputs).toEqual(firstBackfill);
    expect(state.stages.train.outputs).toEqual({ value: firstBackfill.startedAt });
    expect(await scheduled(second.workflowId)).toEqual(['core.echo']); // no core.sleep: reused

    const forced = await startRun(stack.client, stack.config, fixed, { noCache: true });
    const again = await finalState(forced.result());
    expect(again.stages.backfill.reused).toBeUndefined();
    expect((again.stages.backfill.outputs as { startedAt: number }).startedAt).toBeGreaterThan(firstBackfill.startedAt);
    expect(await scheduled(forced.workflowId)).toEqual(['core.sleep', 'core.echo']);
  }, 120_000);

  it('a re-run after a late failure skips the real backfill: not one request to the exchange', async () => {
    const yaml = (train: string) => `
name: cached-backfill
stages:
  backfill:
    uses: binance.backfillKlines
    cache: true
    with: { symbol: ETHUSDT, interval: 1m, from: "2023-04-03T00:00:00Z", to: "2023-04-04T23:59:00Z", concurrency: 1 }
  train: ${train}
`;
    binance.resetStats();
    const first = await startRun(stack.client, stack.config, compileYaml(yaml('{ uses: core.fail, needs: backfill, with: { message: late failure }, retry: { maxAttempts: 1 } }')));
    const failed = await finalState(first.result());
    expect(failed.stages.train.status).toBe('failed');
    expect(failed.stages.backfill.outputs).toMatchObject({ written: 2880, complete: true });
    const exchange = (): number => binance.stats.requests + binance.stats.archiveFiles; // API calls, archive downloads
    const requests = exchange();
    expect(requests).toBeGreaterThan(0);

    const second = await startRun(stack.client, stack.config, compileYaml(yaml('{ uses: core.echo, needs: backfill, with: { value: "${{ stages.backfill.outputs.written }}" } }')));
    const state = await finalState(second.result());
    expect(state.status).toBe('succeeded');
    expect(state.stages.backfill.reused).toMatchObject({ from: 'cache', workflowId: first.workflowId });
    expect(state.stages.train.outputs).toEqual({ value: 2880 });
    expect(exchange()).toBe(requests);
    expect(await scheduled(second.workflowId)).toEqual(['core.echo']);
    const stored = await new KlineStore(stack.redis.client).range('ETHUSDT', '1m', Date.parse('2023-04-03T00:00:00Z'), Date.parse('2023-04-04T23:59:00Z'));
    expect(stored).toHaveLength(2880);
  }, 120_000);

  it('a backfill record is no hit once bars it stored are gone from the store, nor when its run was incomplete', async () => {
    const from = '2023-04-05T00:00:00Z';
    const to = '2023-04-05T23:59:00Z';
    const plan = compileYaml(`
name: cached-backfill-store
stages:
  backfill:
    uses: binance.backfillKlines
    cache: true
    with: { symbol: BTCUSDT, interval: 1m, from: "${from}", to: "${to}", concurrency: 1 }
`);
    const run = async () => {
      const handle = await startRun(stack.client, stack.config, plan);
      return { id: handle.workflowId, state: (await handle.result()) as RunState };
    };
    const stored = async () => (await new KlineStore(stack.redis.client).range('BTCUSDT', '1m', Date.parse(from), Date.parse(to))).length;
    const first = await run();
    expect(first.state.stages.backfill.reused).toBeUndefined();
    const second = await run();
    expect(second.state.stages.backfill.reused).toMatchObject({ from: 'cache', workflowId: first.id });

    // The store loses the day (a flush or a trim): the record no longer describes it.
    const keys = await stack.redis.client.keys('klines:BTCUSDT:1m*');
    expect(keys.length).toBeGreaterThan(0);
    await stack.redis.client.del(...keys);
    expect(await stored()).toBe(0);
    const third = await run();
    expect(third.state.stages.backfill.reused).toBeUndefined();
    expect(await scheduled(third.id)).toEqual(['binance.backfillKlines']);
    expect(third.state.stages.backfill.outputs).toMatchObject({ complete: true });
    expect(await stored()).toBe(1440);

    // A record of an incomplete run (bars not closed yet then) is never reused.
    const lookup = createCacheLookup(stack.redis.client, new Map([['binance.backfillKlines', backfillStillStored]]));
    const input = { symbol: 'BTCUSDT', interval: '1m', from, to };
    const record = (complete: boolean) => JSON.stringify({ outputs: { symbol: 'BTCUSDT', interval: '1m', from, to, complete, missing: complete ? 0 : 60 }, codeVersion: codeVersion('binance.backfillKlines'), at: new Date().toISOString() });
    await stack.redis.client.set(cacheKey('binance.backfillKlines', input), record(false));
    expect(await lookup({ type: 'binance.backfillKlines', inputs: [input] }, localContext({ quiet: true }))).toEqual([null]);
    await stack.redis.client.set(cacheKey('binance.backfillKlines', input), record(true));
    expect((await lookup({ type: 'binance.backfillKlines', inputs: [input] }, localContext({ quiet: true })))[0]).not.toBeNull();
  }, 120_000);

  it('caches fan-out items one by one: a longer list runs only its new items', async () => {
    const plan = compileYaml(`
name: cached-fanout
params:
  n: { type: integer, default: 4 }
  salt: { type: string }
stages:
  each:
    uses: core.echo
    cache: true
    forEach: "\${{ range(params.n) }}"
    with: { message: "\${{ params.salt }}-\${{ item }}" }
`);
    const salt = randomUUID();
    const first = await startRun(stack.client, stack.config, plan, { params: { salt } });
    await first.result();
    expect(await scheduled(first.workflowId)).toHaveLength(4);
    const second = await startRun(stack.client, stack.config, plan, { params: { salt, n: '6' } });
    const state = (await second.result()) as RunState;
    expect((state.stages.each.outputs as Array<{ message: string }>).map((o) => o.message)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `${salt}-${i}`));
    expect(state.stages.each.items!.cached).toBe(4);
    expect(await scheduled(second.workflowId)).toHaveLength(2);
  }, 120_000);

  it('client run --no-cache is a flag of run', async () => {
    const dir = path.join(paths.var, 'test', `cache-cli-${randomUUID().slice(0, 6)}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, `name: cache-cli\nstages:\n  a: { uses: core.echo, cache: true, with: { message: "${randomUUID()}" } }\n`);
    const one = JSON.parse((await client('run', file, '--json')).stdout);
    const two = JSON.parse((await client('run', file, '--json')).stdout);
    const three = JSON.parse((await client('run', file, '--no-cache', '--json')).stdout);
    expect(one.state.stages.a.reused).toBeUndefined();
    expect(two.state.stages.a.reused).toMatchObject({ from: 'cache', workflowId: one.workflowId });
    expect(three.state.stages.a.reused).toBeUndefined();
  }, 120_000);
});

describe('cache records and code versions', () => {
  it('a record whose outputs name a file that is gone is no hit', async () => {
    const lookup = createCacheLookup(stack.redis.client);
    const there = path.join(os.tmpdir(), `cache-there-${process.pid}`);
    writeFileSync(there, 'x');
    const record = (datasetFile: string) => JSON.stringify({ outputs: { datasetFile, rows: 3 }, codeVersion: codeVersion('features.build'), at: new Date().toISOString() });
    await stack.redis.client.set(cacheKey('features.build', { n: 1 }), record(there));
    await stack.redis.client.set(cacheKey('features.build', { n: 2 }), record('/nonexistent/dataset.arrow'));
    const hits = await lookup({ type: 'features.build', inputs: [{ n: 1 }, { n: 2 }, { n: 3 }] }, localContext({ quiet: true }));
    expect(hits.map((h) => (h ? (h.outputs as { datasetFile: string }).datasetFile : null))).toEqual([there, null, null]);
  });

  it('records the successes of cacheable pipeline activities only', async () => {
    const fns: Record<string, ActivityFn> = {
      'core.echo': async (input) => ({ echoed: input }),
      'models.publish': async () => ({ published: true }), // notCacheable
      'core.loadPipeline': async () => ({}), // internal: not in the catalog
    };
    expect(catalog['models.publish'].notCacheable).toBeTruthy();
    const wrapped = recordingSuccesses(fns, stack.redis.client, 60, catalog);
    const input = { message: randomUUID() };
    for (const type of Object.keys(fns)) await wrapped[type](input, localContext({ quiet: true }));
    const recorded = async (type: string) => (await stack.redis.client.exists(cacheKey(type, input))) === 1;
    expect([await recorded('core.echo'), await recorded('models.publish'), await recorded('core.loadPipeline')]).toEqual([true, false, false]);
  });

  it('a code version covers what a domain imports, and differs between domains', () => {
    expect(codeVersion('models.publish')).toBe(codeVersion('training.train'));
    expect(codeVersion('binance.backfillKlines')).not.toBe(codeVersion('training.train'));
    const closure = sourceClosure([path.join(paths.root, 'activities', 'labels', 'build.ts')]).map((f) => path.relative(paths.root, f));
    expect(closure).toContain('activities/labels/build.ts');
    // labels read klines through the binance store: a change there changes labels' version.
    expect(closure.some((f) => f.startsWith('activities/binance/'))).toBe(true);
    expect(closure.every((f) => !f.includes('node_modules'))).toBe(true);
  });

  it('a code version covers the installed versions of the packages a domain imports', () => {
    expect([packageOf('ioredis'), packageOf('@tensorflow/tfjs-core/dist/ops'), packageOf('node:fs'), packageOf('fs/promises'), packageOf('./x')]).toEqual(['ioredis', '@tensorflow/tfjs-core', undefined, undefined, undefined]);
    const dir = path.join(paths.root, 'activities', 'binance');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
    const axios = JSON.parse(readFileSync(path.join(paths.root, 'node_modules', 'axios', 'package.json'), 'utf8')).version;
    expect(packageVersions(files)).toContain(`axios@${axios}`);
    expect(packageVersions(files).every((p) => !p.startsWith('node:') && !p.endsWith('@not installed'))).toBe(true);
  });

  it('a different input is a different key', () => {
    expect(cacheKey('core.echo', { message: 'a' })).not.toBe(cacheKey('core.echo', { message: 'b' }));
    expect(cacheKey('core.echo', { a: 1, b: 2 })).toBe(cacheKey('core.echo', { b: 2, a: 1 }));
  });
});
