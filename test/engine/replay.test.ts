// Determinism guard: histories recorded from real runs of earlier interpreter versions
// (test/fixtures/histories, made by scripts/record-histories.ts) must replay on today's code.
// A change that would break runs in flight, or a Reset of an old run, fails here first.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';

const dir = path.join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of files) {
    it(`replays ${file}`, async () => {
      const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      await expect(
        Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file.replace(/\.json$/, '')),
      ).resolves.toBeUndefined();
    });
  }
});
