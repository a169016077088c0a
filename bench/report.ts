// How a benchmark reports its figures (see bench/README.md). A benchmark prints human lines as it
// likes, and records each figure it wants in the results table with figure(); done() writes them
// as JSON to the file named by TRAINFLOW_BENCH_RESULT (set by `npm run bench`, scripts/bench.ts),
// and does nothing else when the variable is unset (a benchmark run by hand only prints).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';

export const RESULT_ENV = 'TRAINFLOW_BENCH_RESULT';

export interface Figure {
  /** What was measured, e.g. 'features: indicator set on 525,600 bars'. */
  name: string;
  value: number;
  /** 'ms', 's', 'klines/s', 'MB', '×', '%', 'events', ... */
  unit: string;
  /** The baseline measured in the same run, when the figure is compared with one. */
  baseline?: { name: string; value: number };
  /** The comparison (usually value / baseline.value; the benchmark says which way is better). */
  ratio?: number;
  /** The target as text, e.g. '≤ 2× TA-Lib' or '≥ 1,000,000 klines/s'. */
  target?: string;
  /** Whether the target was met, when the figure has one. */
  met?: boolean;
}

export interface BenchResult {
  bench: string;
  figures: Figure[];
  notes: string[];
  /** 1-minute load average when the benchmark started and ended (the machine may be shared). */
  load: { start: number; end: number };
  cpuSeconds: number;
  wallSeconds: number;
}

export interface BenchReport {
  figure(f: Figure): Figure;
  /** A line of context for the table (data used, versions of baselines, caveats). */
  note(line: string): void;
  /** Writes the result file, if the runner asked for one. Call once, at the end. */
  done(): void;
  readonly result: BenchResult;
}

/** Starts a report; `bench` is the benchmark's name in the table (its file name without .ts). */
export function benchReport(bench: string): BenchReport {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const result: BenchResult = { bench, figures: [], notes: [], load: { start: loadavg()[0], end: NaN }, cpuSeconds: 0, wallSeconds: 0 };
  return {
    result,
    figure(f) {
      if (!Number.isFinite(f.value)) throw new Error(`${bench}: figure '${f.name}' is not a finite number: ${f.value}`);
      result.figures.push(f);
      return f;
    },
    note(line) {
      result.notes.push(line);
    },
    done() {
      const cpu = process.cpuUsage(cpu0);
      result.load.end = loadavg()[0];
      result.cpuSeconds = (cpu.user + cpu.system) / 1e6;
      result.wallSeconds = (performance.now() - started) / 1000;
      const file = process.env[RESULT_ENV];
      if (!file) return;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(result, null, 2));
    },
  };
}

/** a / b with the target 'at most limit×' filled in. */
export function ratioAtMost(value: number, baseline: { name: string; value: number }, limit: number): Pick<Figure, 'baseline' | 'ratio' | 'target' | 'met'> {
  const ratio = value / baseline.value;
  return { baseline, ratio, target: `≤ ${limit}×`, met: ratio <= limit };
}

/** a / b with the target 'at least limit×' filled in. */
export function ratioAtLeast(value: number, baseline: { name: string; value: number }, limit: number): Pick<Figure, 'baseline' | 'ratio' | 'target' | 'met'> {
  const ratio = value / baseline.value;
  return { baseline, ratio, target: `≥ ${limit}×`, met: ratio >= limit };
}
