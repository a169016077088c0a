// The benchmark suite's bookkeeping (pure: no benchmark runs here; `npm run bench` runs them).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS } from '../../bench/suite';
import { formatNumber, renderMarkdown } from '../../bench/results-table';

const root = path.resolve(__dirname, '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

describe('bench/suite.ts', () => {
  it('lists files that exist and report through bench/report.ts', () => {
    for (const b of BENCHMARKS) {
      expect(existsSync(path.join(root, b.file)), b.file).toBe(true);
      const src = read(b.file) + (b.file === 'bench/features.ts' ? read('bench/features-redis.ts') : '');
      expect(src, `${b.file} records figures`).toMatch(/benchReport\(/);
      expect(src, `${b.file} writes its result`).toMatch(/\.done\(\)/);
    }
    expect(new Set(BENCHMARKS.map((b) => b.name)).size).toBe(BENCHMARKS.length);
  });

  it('every bench/*.ts is a listed benchmark or a helper a benchmark or the runner imports', () => {
    const listed = new Set(BENCHMARKS.map((b) => b.file));
    const sources = readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.ts'));
    const imported = new Set<string>();
    for (const f of sources) {
      for (const m of read(`bench/${f}`).matchAll(/from '\.\/([\w-]+)'/g)) imported.add(`${m[1]}.ts`);
    }
    for (const m of read('scripts/bench.ts').matchAll(/from '\.\.\/bench\/([\w-]+)'/g)) imported.add(`${m[1]}.ts`);
    const orphans = sources.filter((f) => !listed.has(`bench/${f}`) && !imported.has(f));
    expect(orphans, 'bench files neither in bench/suite.ts nor imported by a benchmark').toEqual([]);
  });

  it('every listed benchmark is named in the README', () => {
    const readme = read('README.md');
    for (const b of BENCHMARKS) expect(readme, b.file).toContain(b.file);
  });
});

describe('results table', () => {
  const run = {
    startedAt: '2026-12-03T07:00:00.000Z',
    machine: { cpuModel: 'Some CPU @ 2.0GHz', cores: 2, memoryGiB: 23.5, node: 'v20.20.2', os: 'Linux 6 x64', commit: 'abc1234', loadStart: [1.5, 1.2, 1], loadEnd: [2, 1.5, 1.1] },
    benchmarks: [
      {
        name: 'features', about: 'kernels', status: 'ok', wallSeconds: 12.3, load: { start: 1.5, end: 1.7 }, log: 'var/bench/x/features.log',
        figures: [{ name: 'indicator set | 525,600 bars', value: 81.234, unit: 'ms', baseline: { name: 'TA-Lib', value: 47 }, ratio: 1.728, target: '≤ 2×', met: true }],
        notes: ['TA-Lib 0.6.4'],
      },
      { name: 'gbdt', about: 'trees', status: 'failed', wallSeconds: 1, load: { start: 1.7, end: 1.7 }, log: 'var/bench/x/gbdt.log', figures: [], notes: [], tail: 'Error: boom' },
    ],
  };
  const md = renderMarkdown(run);

  it('describes the machine and the load', () => {
    for (const s of ['Some CPU @ 2.0GHz', '| cores | 2 |', '23.5 GiB', 'v20.20.2', 'abc1234', '1.5 / 1.2 / 1', '1.50 → 1.70']) expect(md).toContain(s);
  });
  it('has one row per figure with baseline, ratio, target and verdict (pipes escaped)', () => {
    expect(md).toContain('| features | indicator set \\| 525,600 bars | 81.23 ms | TA-Lib: 47 | 1.728× | ≤ 2× | yes |');
  });
  it('marks a failed benchmark and shows the end of its output', () => {
    expect(md).toContain('| gbdt | failed |');
    expect(md).toContain('Error: boom');
  });
  it('formats numbers to about 4 significant digits', () => {
    expect(formatNumber(1234567.8)).toBe('1,234,568');
    expect(formatNumber(0.001234567)).toBe('0.001235');
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(-0.00512)).toBe('-0.00512');
  });
});
