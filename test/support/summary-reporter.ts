// Ends the run with one plain line, 'N passed, N failed, N skipped', that CI reads.
import type { Reporter } from 'vitest/reporters';

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const walk = (t: Task) => {
      if (t.tasks) t.tasks.forEach(walk);
      if (t.type !== 'test') return;
      const state = t.result?.state;
      if (state === 'pass') counts.passed++;
      else if (state === 'fail') counts.failed++;
      else counts.skipped++;
    };
    files.forEach(walk);
    // A file that failed to load has no tests but is a failure.
    const brokenFiles = files.filter((f) => f.result?.state === 'fail' && !(f.tasks ?? []).length).length;
    counts.failed += brokenFiles;
    console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
