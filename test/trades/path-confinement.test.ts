// File paths from pipelines stay inside the project and data folders. The compiler refuses paths
// written in YAML (golden/paths.yaml); values that arrive at run time (--param, schedules,
// upstream outputs) are refused by the activity itself, at once and without retrying.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { compileYaml } from '../support/pipelines';
import { startRun } from '../../cli/run';
import { confinePath } from '../../activities/paths';
import { projectRoot } from '../../config';
import { paths } from '../../stack/tools';

const stack = useStack();

describe('path confinement at run time', () => {
  it('a --param path outside the folders fails trades.import at once, without a retry', async () => {
    const plan = compileYaml(`
name: import-param
params:
  tradesFile: { type: string, default: data/trades/simulated-2023-04.jsonl }
stages:
  import:
    uses: trades.import
    with: { file: "\${{ params.tradesFile }}", stream: "confined.trades" }
    retry: { maxAttempts: 5, initialInterval: 50ms }
`);
    for (const bad of ['/etc/passwd', '../../../../etc/passwd']) {
      const handle = await startRun(stack.client, stack.config, plan, { params: { tradesFile: bad } });
      const failure = await handle.result().then(() => 'succeeded', (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
      expect(failure).toBe(
        `stage 'import' failed: InvalidInput: input 'file' of trades.import: path '${bad}' is outside the project folder (${projectRoot}) and the data folder (${stack.config.dataDir})`,
      );
      const history = await handle.fetchHistory();
      expect(history.events!.filter((e) => e.activityTaskStartedEventAttributes)).toHaveLength(1);
    }
    expect(await stack.redis.client.xlen('confined.trades')).toBe(0);
  });

  it('resolves symlinks: a link inside the project to a folder outside it does not let a path out', () => {
    const dir = path.join(paths.var, 'test', `links-${randomUUID().slice(0, 8)}`);
    mkdirSync(dir, { recursive: true });
    try {
      symlinkSync('/etc', path.join(dir, 'etc'));
      writeFileSync(path.join(dir, 'ok.jsonl'), '');
      const roots = { project: projectRoot, data: stack.config.dataDir };
      const rel = path.relative(projectRoot, dir);
      expect(confinePath(`${rel}/ok.jsonl`, 'file', roots)).toBe(path.join(dir, 'ok.jsonl'));
      expect(confinePath(`${rel}/not-yet-written/x.jsonl`, 'file', roots)).toBe(path.join(dir, 'not-yet-written/x.jsonl'));
      expect(() => confinePath(`${rel}/etc/passwd`, 'file', roots)).toThrow(`file: path '${rel}/etc/passwd' is outside the project folder`);
      expect(() => confinePath('', 'file', roots)).toThrow("file must be a file path, got \"\"");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
