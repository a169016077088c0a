// The results table of a `npm run bench` run, as markdown (scripts/bench.ts writes it beside
// results.json). Pure: it formats what the run collected.
import type { Figure } from './report';

interface RunLike {
  startedAt: string;
  finishedAt?: string;
  machine: { cpuModel: string; cores: number; memoryGiB: number; node: string; os: string; commit: string; loadStart: number[]; loadEnd?: number[] };
  benchmarks: {
    name: string;
    about: string;
    status: string;
    wallSeconds: number;
    load: { start: number; end: number };
    figures: Figure[];
    notes: string[];
    log: string;
    tail?: string;
  }[];
}

/** Up to 4 significant digits, thousands separated; integers as they are. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 1000 || Number.isInteger(x) ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 3 : Math.min(8, 3 - Math.floor(Math.log10(abs || 1)));
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(run: RunLike): string {
  const m = run.machine;
  const lines: string[] = [];
  lines.push(`# Benchmark results — ${run.startedAt.slice(0, 19).replace('T', ' ')} UTC`, '');
  lines.push(`| machine | |`, `|---|---|`);
  lines.push(`| CPU | ${cell(m.cpuModel)} |`);
  lines.push(`| cores | ${m.cores} |`);
  lines.push(`| memory | ${m.memoryGiB} GiB |`);
  lines.push(`| node | ${m.node} |`);
  lines.push(`| OS | ${cell(m.os)} |`);
  lines.push(`| commit | ${cell(m.commit)} |`);
  lines.push(`| load average (1/5/15 min) at start | ${m.loadStart.join(' / ')} |`);
  if (m.loadEnd) lines.push(`| load average at end | ${m.loadEnd.join(' / ')} |`);
  lines.push('');
  lines.push('| benchmark | status | wall s | load start → end | about |', '|---|---|---:|---|---|');
  for (const b of run.benchmarks) {
    lines.push(`| ${b.name} | ${b.status} | ${b.wallSeconds.toFixed(0)} | ${b.load.start.toFixed(2)} → ${b.load.end.toFixed(2)} | ${cell(b.about)} |`);
  }
  lines.push('');
  lines.push('| benchmark | figure | value | baseline (same run) | ratio | target | met |', '|---|---|---:|---|---:|---|---|');
  for (const b of run.benchmarks) {
    for (const f of b.figures) {
      const base = f.baseline ? `${cell(f.baseline.name)}: ${formatNumber(f.baseline.value)}` : '';
      const met = f.met === undefined ? '' : f.met ? 'yes' : '**no**';
      lines.push(`| ${b.name} | ${cell(f.name)} | ${formatNumber(f.value)} ${cell(f.unit)} | ${base} | ${f.ratio === undefined ? '' : formatNumber(f.ratio) + '×'} | ${cell(f.target ?? '')} | ${met} |`);
    }
  }
  const withNotes = run.benchmarks.filter((b) => b.notes.length || b.tail);
  if (withNotes.length) {
    lines.push('', '## Notes');
    for (const b of withNotes) {
      lines.push('', `**${b.name}** (full output: ${b.log})`);
      for (const n of b.notes) lines.push(`- ${n}`);
      if (b.tail) lines.push('', '```', b.tail, '```');
    }
  }
  return lines.join('\n') + '\n';
}
