// Finished CV folds saved in the run folder (cv/fold-N.json), so a retried training attempt that
// resumes the same run (its runId comes back through the heartbeat details) skips them. JSON
// numbers round-trip float64 exactly, so resumed metrics equal uninterrupted ones.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FoldCache, FoldResult } from './cross-validate';

export function dirFoldCache(runDir: string, fingerprint: string): FoldCache {
  const dir = path.join(runDir, 'cv');
  const file = (fold: number) => path.join(dir, `fold-${fold}.json`);
  return {
    async load(fold) {
      if (!existsSync(file(fold))) return undefined;
      const saved = JSON.parse(await readFile(file(fold), 'utf8')) as { fingerprint: string; result: FoldResult };
      // Folds of a different input (dataset, params, cv settings) are not reusable.
      return saved.fingerprint === fingerprint ? saved.result : undefined;
    },
    async save(result) {
      await mkdir(dir, { recursive: true });
      const f = file(result.info.fold);
      if (existsSync(f)) return;
      await writeFile(`${f}.tmp`, JSON.stringify({ fingerprint, result }));
      await rename(`${f}.tmp`, f);
    },
  };
}
