// shadow.evaluateDay on a model without a `latest`: a non-retryable NoPublishedModel that says what
// the registry holds and why nothing is live (the demo keeps a version whose gate failed).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateDay } from '../../activities/shadow/evaluate-day';
import type { FeaturesActivityDeps } from '../../activities/features';
import { localContext } from '../../activities/context';
import { NonRetryableError } from '../../activities/errors';
import { loadConfig } from '../../config';
import { modelRoot } from '../../models/registry';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'trainflow-shadow-unpublished-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// The check comes before any Redis or Binance call: this deps object has only the config.
const deps = { config: { ...loadConfig(), dataDir } } as unknown as FeaturesActivityDeps;
const attempt = (name: string) => evaluateDay({ name, day: '2023-04-20' }, deps, localContext({ quiet: true })).then(() => null, (e: Error) => e);

describe('shadow.evaluateDay without a published version', () => {
  it('says the model has no versions at all', async () => {
    const err = await attempt('never-trained');
    expect(err?.message).toMatch(/^model 'never-trained' has no published version to shadow \(no .*never-trained\/latest\): it has no versions at all; train and publish it first/);
  });

  it('names the kept versions and why none is live', async () => {
    for (const v of ['v0001', 'v0002']) mkdirSync(path.join(modelRoot(dataDir, 'gate-failed'), v), { recursive: true });
    const err = await attempt('gate-failed');
    expect(err?.message).toMatch(/: none of its versions \(v0001, v0002\) was published: a version becomes latest only when its gate passes/);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err?.name).toBe('NoPublishedModel');
  });
});
