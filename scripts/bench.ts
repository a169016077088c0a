// `npm run bench [-- names...] [--out DIR] [--list]`: runs every benchmark of bench/suite.ts (or
// the named ones), each in its own process, and writes the results table — results.md and
// results.json, with the machine description and the load beside each benchmark — plus each
// benchmark's full output (<name>.log) into var/bench/<time>/ (var/bench/latest points there).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { BENCHMARKS, type BenchmarkEntry } from '../bench/suite';
import { RESULT_ENV, type BenchResult, type Figure } from '../bench/report';
import { renderMarkdown } from '../bench/results-table';

const root = path.resolve(__dirname, '..');

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  commit: string;
  /** 1-, 5- and 15-minute load averages when the run started and ended. */
  loadStart: number[];
  loadEnd?: number[];
}

export interface BenchOutcome {
  name: string;
  file: string;
  args: string[];
  about: string;
  status: 'ok' | 'failed' | 'timed out';
  exitCode: number | null;
  wallSeconds: number;
  /** 1-minute load average when it started and ended. */
  load: { start: number; end: number };
  figures: Figure[];
  notes: string[];
  log: string;
  /** Last lines of the output of a failed benchmark. */
  tail?: string;
}

export interface BenchRun {
  startedAt: string;
  finishedAt?: string;
  machine: MachineDescription;
  benchmarks: BenchOutcome[];
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) ? ' (uncommitted changes)' : '';
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: git(['rev-parse', '--short', 'HEAD']) + dirty,
    loadStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function parseArgs(argv: string[]): { names: string[]; out?: string; list: boolean } {
  const names: string[] = [];
  let out: string | undefined;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = argv[++i];
    else if (a === '--list') list = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench [-- names...] [--out DIR] [--list]\n  names: ' + BENCHMARKS.map((b) => b.name).join(', '));
      process.exit(0);
    } else if (a.startsWith('-')) {
      console.error(`npm run bench: unknown flag ${a} (known: --out DIR, --list, --help)`);
      process.exit(2);
    } else names.push(a);
  }
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`npm run bench: unknown benchmark ${unknown.join(', ')} (known: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
    process.exit(2);
  }
  return { names, out, list };
}

function runOne(b: BenchmarkEntry, dir: string): Promise<BenchOutcome> {
  const resultFile = path.join(dir, `${b.name}.json`);
  const logFile = path.join(dir, `${b.name}.log`);
  rmSync(resultFile, { force: true });
  const log = createWriteStream(logFile);
  const args = [...(b.nodeOptions ?? []), '--import', 'tsx', b.file, ...(b.args ?? [])];
  const load0 = os.loadavg()[0];
  const t0 = performance.now();
  let tail = '';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, [RESULT_ENV]: resultFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: a timeout stops the servers it started too
    });
    const onData = (chunk: Buffer, to: NodeJS.WriteStream) => {
      to.write(chunk);
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', (c: Buffer) => onData(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => onData(c, process.stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGTERM');
        setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {}
        }, 10_000).unref();
      } catch {}
    }, b.timeoutMinutes * 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      log.end();
      let result: BenchResult | undefined;
      if (existsSync(resultFile)) result = JSON.parse(readFileSync(resultFile, 'utf8')) as BenchResult;
      const ok = code === 0 && !timedOut;
      if (ok && !result) tail = `no result file: the benchmark did not call benchReport(...).done()\n${tail}`;
      const status = timedOut ? 'timed out' : ok && result ? 'ok' : 'failed';
      resolve({
        name: b.name,
        file: b.file,
        args: b.args ?? [],
        about: b.about,
        status,
        exitCode: code,
        wallSeconds: (performance.now() - t0) / 1000,
        load: { start: load0, end: os.loadavg()[0] },
        figures: result?.figures ?? [],
        notes: result?.notes ?? [],
        log: path.relative(root, logFile),
        ...(status !== 'ok' ? { tail: tail.split('\n').slice(-25).join('\n') } : {}),
      });
    });
  });
}

async function main(): Promise<number> {
  const { names, out, list } = parseArgs(process.argv.slice(2));
  const chosen = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  if (list) {
    for (const b of BENCHMARKS) console.log(`${b.name.padEnd(16)} ${b.file} ${(b.args ?? []).join(' ')}  — ${b.about}`);
    return 0;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const dir = path.resolve(out ?? path.join(root, 'var/bench', stamp));
  mkdirSync(dir, { recursive: true });
  const run: BenchRun = { startedAt: new Date().toISOString(), machine: describeMachine(), benchmarks: [] };
  const save = () => {
    writeFileSync(path.join(dir, 'results.json'), JSON.stringify(run, null, 2));
    writeFileSync(path.join(dir, 'results.md'), renderMarkdown(run));
  };
  console.log(`benchmarks: ${chosen.map((b) => b.name).join(', ')} → ${path.relative(root, dir) || dir}`);
  console.log(`machine: ${run.machine.cpuModel}, ${run.machine.cores} cores, ${run.machine.memoryGiB} GiB, node ${run.machine.node}; load ${run.machine.loadStart.join(' ')}`);
  for (const b of chosen) {
    console.log(`\n=== ${b.name}: ${b.about} (load ${os.loadavg()[0].toFixed(2)})`);
    const outcome = await runOne(b, dir);
    run.benchmarks.push(outcome);
    console.log(`=== ${b.name}: ${outcome.status} in ${outcome.wallSeconds.toFixed(0)} s, ${outcome.figures.length} figures`);
    save(); // a partial table survives a run stopped half-way
  }
  run.finishedAt = new Date().toISOString();
  run.machine.loadEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  save();
  if (!out) {
    const latest = path.join(root, 'var/bench/latest');
    rmSync(latest, { force: true });
    symlinkSync(stamp, latest);
  }
  console.log(`\n${renderMarkdown(run)}`);
  console.log(`results: ${path.join(dir, 'results.md')} and results.json`);
  const failed = run.benchmarks.filter((b) => b.status !== 'ok');
  if (failed.length) console.error(`failed: ${failed.map((b) => `${b.name} (${b.status})`).join(', ')}`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
