// Validation time and memory of very large pipelines, and how fast bad input is refused.
// Each size is compiled in its own process (peak RSS is per process), 1,000 stages being the
// baseline: near-linear compilation takes ~10× as long for 10× the stages (it took 100× when
// the topological order and upstream sets were quadratic). Targets (issue 10): 10,000 stages
// in < 2 s and < 300 MB.
//   npx tsx bench/dsl-validate.ts [--sizes 1000,10000] [--reps 3]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compilePipeline, formatError } from '../dsl';
import { catalog } from '../activities/catalog';
import { mulberry32 } from '../lib/mulberry32';
import { benchReport } from './report';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};

/**
 * A pipeline shaped like a big real one: each stage needs one or two of the 30 stages before it
 * and reads their outputs, every 10th also reads a stage two needs up, every 50th fans out over
 * a param, every 25th has a condition.
 */
export function bigPipeline(n: number): string {
  const random = mulberry32(n);
  const lines = [
    `name: big-${n}`,
    'params: { symbols: [BTCUSDT, ETHUSDT], days: 3 }',
    'defaults: { retry: { maxAttempts: 3, initialInterval: 1s }, timeout: { startToClose: 5m } }',
    'stages:',
  ];
  const needsOf: string[][] = [];
  for (let i = 0; i < n; i++) {
    const needs = new Set<string>();
    if (i > 0) for (let k = random() < 0.3 ? 2 : 1; k > 0; k--) needs.add(`s${Math.max(0, i - 1 - Math.floor(random() * 30))}`);
    needsOf.push([...needs]);
    const first = [...needs][0];
    const refs = first ? [`\${{stages.${first}.outputs.message}}`] : ['start'];
    const grand = first ? needsOf[Number(first.slice(1))][0] : undefined;
    if (i % 10 === 0 && grand) refs.push(`\${{stages.${grand}.outputs.value}}`);
    const extra = i % 50 === 0 ? ', forEach: "${{params.symbols}}"' : i % 25 === 0 ? ', when: "${{params.days > 1}}"' : '';
    const item = i % 50 === 0 ? ' ${{item}}' : '';
    lines.push(`  s${i}: {uses: core.echo${needs.size ? `, needs: [${[...needs].join(', ')}]` : ''}${extra}, with: {message: "${refs.join(' ')}${item}"}}`);
  }
  return lines.join('\n') + '\n';
}

interface ChildResult {
  stages: number;
  bytes: number;
  ms: number[];
  cpuMs: number[];
  rssBeforeMb: number;
  peakRssMb: number;
  outcome: string;
}

/** In a child: compile `n` stages `reps` times; plan-size limit lifted or not. */
function child(n: number, reps: number, lift: boolean): ChildResult {
  const text = bigPipeline(n);
  // Warm the JIT on another pipeline of the same shape, so both sizes are measured optimized.
  if (reps > 1) for (let r = 0; r < 3; r++) compilePipeline(bigPipeline(500), { file: 'warm-up.yaml', catalog });
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let outcome = '';
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const { plan, errors } = compilePipeline(text, { file: `big-${n}.yaml`, catalog, limits: lift ? { maxPlanBytes: Infinity } : undefined });
    const used = process.cpuUsage(cpu);
    ms.push(performance.now() - t);
    cpuMs.push((used.user + used.system) / 1000);
    outcome = plan ? `plan of ${plan.stages.length} stages` : `refused: ${errors.map(formatError)[0]}`;
  }
  return { stages: n, bytes: text.length, ms, cpuMs, rssBeforeMb, peakRssMb: process.resourceUsage().maxRSS / 1024, outcome };
}

/** The memory run compiles once under a 256 MB heap cap: a heap need over it would crash it. */
const HEAP_CAP_MB = 256;

function inChild(n: number, reps: number, lift: boolean, heapCap = false): ChildResult {
  const node = [...process.execArgv, ...(heapCap ? [`--max-old-space-size=${HEAP_CAP_MB}`] : [])];
  const out = execFileSync(process.execPath, [...node, __filename, '--child', String(n), '--reps', String(reps), ...(lift ? ['--lift'] : [])], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => unknown, reps = 3) => median(Array.from({ length: reps }, () => ((t) => (fn(), performance.now() - t))(performance.now())));

function main(): void {
  if (process.argv.includes('--child')) {
    console.log(JSON.stringify(child(Number(arg('child', '1000')), Number(arg('reps', '3')), process.argv.includes('--lift'))));
    return;
  }
  const report = benchReport('dsl-validate');
  const sizes = arg('sizes', '1000,10000').split(',').map(Number);
  const reps = Number(arg('reps', '3'));
  console.log(`validation of big pipelines (median of ${reps} compiles; each size in its own process; wall and CPU time: the machine may be shared)`);
  const results = sizes.map((n) => ({ n, lifted: inChild(n, reps, true), plain: inChild(n, reps, false), memory: inChild(n, 1, true, true) }));
  const base = results[0];
  for (const { n, lifted, plain, memory } of results) {
    const ms = median(lifted.ms);
    const cpu = median(lifted.cpuMs);
    console.log(
      `  ${n.toLocaleString('en-US')} stages, ${(lifted.bytes / 2 ** 20).toFixed(2)} MiB: ${ms.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU; ${lifted.outcome}\n` +
        `      peak RSS ${memory.peakRssMb.toFixed(0)} MB compiling once under a ${HEAP_CAP_MB} MB heap cap (${memory.rssBeforeMb.toFixed(0)} MB before compiling)\n` +
        `      with the default limits: ${median(plain.ms).toFixed(0)} ms wall; ${plain.outcome}`,
    );
    if (n === base.n) continue;
    const linear = n / base.n;
    const stages = (k: number) => `${k.toLocaleString('en-US')} stages`;
    report.figure({
      name: `validate ${stages(n)}, wall`,
      value: ms,
      unit: 'ms',
      baseline: { name: stages(base.n), value: median(base.lifted.ms) },
      ratio: ms / median(base.lifted.ms),
      target: '< 2000 ms',
      met: ms < 2000,
    });
    report.figure({
      name: `validate ${stages(n)}, CPU`,
      value: cpu,
      unit: 'ms',
      baseline: { name: stages(base.n), value: median(base.lifted.cpuMs) },
      ratio: cpu / median(base.lifted.cpuMs),
      target: `< 2000 ms and ≤ ${(linear * 1.5).toFixed(0)}× for ${linear}× the stages (near-linear)`,
      met: cpu < 2000 && cpu / median(base.lifted.cpuMs) <= linear * 1.5,
    });
    report.figure({
      name: `peak RSS validating ${stages(n)}`,
      value: memory.peakRssMb,
      unit: 'MB',
      baseline: { name: stages(base.n), value: base.memory.peakRssMb },
      ratio: memory.peakRssMb / base.memory.peakRssMb,
      target: '< 300 MB',
      met: memory.peakRssMb < 300,
    });
  }
  report.note('plan-size limit lifted for the timing (a 10,000-stage plan is over the 1 MiB plan limit; the default-limits line shows that refusal)');

  // Bad input is refused in about the time a small good pipeline takes to compile.
  const demo = readFileSync(path.join(__dirname, '..', 'pipelines', 'demo.yaml'), 'utf8');
  const demoMs = time(() => compilePipeline(demo, { file: 'demo.yaml', catalog }), 5);
  let lol = 'name: lol\nstages:\n  a:\n    uses: core.echo\n    with:\n      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= 9; i++) lol += `      l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
  const bad: Array<[string, string]> = [
    ['20 MB file', `name: big\n# ${'x'.repeat(20 * 2 ** 20)}\n`],
    ['1 MiB less 1 byte of "["', `a: ${'['.repeat(2 ** 20 - 4)}`],
    ['alias bomb, 9 levels', lol],
    ['expression 100,000 operands', `name: e\nstages:\n  a: {uses: core.echo, with: {message: "\${{ ${Array(100_000).fill('1').join('+')} }}"}}\n`],
  ];
  console.log(`bad input (median of 3) vs compiling pipelines/demo.yaml (${demoMs.toFixed(1)} ms):`);
  for (const [name, text] of bad) {
    const errors = compilePipeline(text, { file: 'bad.yaml', catalog }).errors;
    const ms = time(() => compilePipeline(text, { file: 'bad.yaml', catalog }));
    console.log(`  ${name}: ${ms.toFixed(1)} ms (${(ms / demoMs).toFixed(1)}× demo) — ${formatError(errors[0])}`);
    report.figure({ name: `refuse ${name}`, value: ms, unit: 'ms', baseline: { name: 'compile demo.yaml', value: demoMs }, ratio: ms / demoMs, target: '< 1000 ms', met: ms < 1000 });
  }
  report.done();
}

if (require.main === module) main();
