// Assembles report.html (charts inline as SVG) and summary.txt from a run folder's metrics.json,
// the rendered charts and, once training.evaluate ran, gate.json. Re-run after the gate verdict.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GateResult, RunMetrics } from './run-metrics';
import { icir, summaryText } from './summary-text';
import { esc } from './svg';
import { isBaseline } from './verdicts';
import { shadowDaysOf, shadowSectionHtml } from './shadow-section';

export const REPORT_DIR = 'report';
/** Drawn by the nightly shadow evaluation; shown in its own section. */
export const SHADOW_SVG = 'shadow.svg';
const CHART_ORDER = ['scatter', 'equity', 'by-symbol', 'folds-r2', 'folds-mae-skill', 'folds-mae', 'folds-diracc', 'importance'];

export async function readRunMetrics(runDir: string): Promise<RunMetrics> {
  return JSON.parse(await readFile(path.join(runDir, 'metrics.json'), 'utf8')) as RunMetrics;
}

export async function readGate(runDir: string): Promise<GateResult | undefined> {
  const f = path.join(runDir, 'gate.json');
  return existsSync(f) ? (JSON.parse(await readFile(f, 'utf8')) as GateResult) : undefined;
}

export async function writeReport(runDir: string): Promise<{ html: string; summary: string; text: string }> {
  const m = await readRunMetrics(runDir);
  const gate = await readGate(runDir);
  const dir = path.join(runDir, REPORT_DIR);
  const text = summaryText(m, gate);
  const summary = path.join(dir, 'summary.txt');
  await writeFile(summary, text);

  const svgs = (await readdir(dir)).filter((f) => f.endsWith('.svg') && f !== SHADOW_SVG);
  const ids = svgs.map((f) => f.slice(0, -4)).sort((a, b) => rank(a) - rank(b));
  const charts = await Promise.all(ids.map(async (id) => `<figure>${await readFile(path.join(dir, `${id}.svg`), 'utf8')}<figcaption><a href="${id}.png">${id}.png</a></figcaption></figure>`));
  const fmt = (s: { mean: number; std: number }, d = 4) => `${s.mean.toFixed(d)} ± ${s.std.toFixed(d)}`;
  const rows = Object.entries(m.models)
    .map(([n, r]) => `<tr class="${isBaseline(n) ? 'base' : ''}"><td>${esc(n)}</td><td>${fmt(r.stats.r2)}</td><td>${r.stats.mae.mean.toExponential(3)} ± ${r.stats.mae.std.toExponential(1)}</td><td>${r.stats.rmse.mean.toExponential(3)}</td><td>${fmt(r.stats.dirAcc, 3)}</td><td>${fmt(r.stats.ic)}</td><td>${icir(r.stats.ic).toFixed(2)}</td></tr>`)
    .join('');
  const folds = m.folds
    .map((f) => `<tr><td>${f.fold}</td><td>${f.train}</td><td>${f.test}</td><td>${f.purged}</td><td>${f.embargoed}</td><td>${new Date(f.testFrom).toISOString()}</td><td>${new Date(f.testTo).toISOString()}</td><td>${f.ensembleWeights ? esc(JSON.stringify(f.ensembleWeights)) : ''}</td></tr>`)
    .join('');
  const bt = Object.entries(m.backtest.byModel)
    .map(([n, b]) => `<tr><td>${esc(n)}</td><td>${pct(b.total)}</td><td>${pct(b.buyHold)}</td><td>${b.trades}</td><td>${pct(b.fees)}</td></tr>`)
    .join('');
  const shadowSvg = path.join(dir, SHADOW_SVG);
  const shadow = shadowSectionHtml(await shadowDaysOf(runDir), existsSync(shadowSvg) ? await readFile(shadowSvg, 'utf8') : undefined);
  const verdict = gate ? `<p class="${gate.passed ? 'pass' : 'fail'}">Gate (${esc(gate.model)}): ${gate.passed ? 'PASSED' : 'FAILED'} — ${esc(gate.reason)}</p>` : '<p>Gate: not evaluated yet.</p>';
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(m.name)} ${esc(m.runId)}</title><style>
body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;max-width:1500px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}
tr.base td{color:#555;font-style:italic}.warn{color:#b00;font-weight:bold}.pass{color:#070;font-weight:bold}.fail{color:#b00;font-weight:bold}figure{display:inline-block;margin:8px}tr.drift td{background:#fde8e8}pre{background:#f6f6f6;padding:8px}
</style></head><body>
<h1>${esc(m.name)} — run ${esc(m.runId)}</h1>
<p class="workflow">${workflowLine(m.workflow)}</p>
<p>Dataset ${esc(path.basename(m.dataset.file))} (sha256 ${m.dataset.sha256.slice(0, 12)}…): ${m.dataset.rows} samples, ${m.dataset.features} features, ${esc(m.dataset.symbols.join(', '))}, ${new Date(m.dataset.timeSpan.from).toISOString()} → ${new Date(m.dataset.timeSpan.to).toISOString()}.</p>
<p>${m.cv.folds}-fold walk-forward CV, label horizon ${m.cv.horizonMs / 60000} min, purge gap ${m.cv.gapMs / 60000} min, embargo ${m.cv.embargoMs / 60000} min; early stopping and ensemble weights use the last ${(m.cv.validFraction * 100).toFixed(0)}% of each training set, never the test fold.</p>
${verdict}
${m.warnings.map((w) => `<p class="warn">WARNING: ${esc(w)}</p>`).join('')}
${shadow}
<h2>Out-of-sample metrics (mean ± std over folds)</h2>
<table><tr><th>model</th><th>R²</th><th>MAE</th><th>RMSE</th><th>dir-acc</th><th>Spearman IC</th><th>ICIR</th></tr>${rows}</table>
<ul>${Object.values(m.verdicts).map((v) => `<li>${esc(v)}</li>`).join('')}</ul>
<h2>Folds</h2>
<table><tr><th>fold</th><th>train</th><th>test</th><th>purged</th><th>embargoed</th><th>test from</th><th>test to</th><th>ensemble weights</th></tr>${folds}</table>
<h2>Sign strategy (out-of-sample, net of ${(m.backtest.feePerSide * 100).toFixed(2)}% per side, non-overlapping horizons)</h2>
<p>Capital is split equally across symbols; each symbol's sleeve compounds its returns, so a total cannot fall below −100%. Fees are a share of the starting capital.</p>
<table><tr><th>model</th><th>total (compounded)</th><th>buy &amp; hold</th><th>position changes</th><th>fees</th></tr>${bt}</table>
<h2>By symbol (out-of-sample, ${esc(m.primary)})</h2>
${bySymbolTable(m)}
<h2>Charts</h2>
${charts.join('\n')}
<h2>Summary</h2><pre>${esc(text)}</pre>
</body></html>
`;
  const htmlFile = path.join(dir, 'report.html');
  await writeFile(htmlFile, html);
  return { html: htmlFile, summary, text };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function workflowLine(w: RunMetrics['workflow']): string {
  if (!w) return 'Trained outside Temporal (no workflow id).';
  return `Trained by Temporal workflow <code>${esc(w.workflowId)}</code> (run <code>${esc(w.runId)}</code>, ${esc(w.workflowType)}, namespace ${esc(w.namespace)}): ` +
    `<code>npm run client -- status ${esc(w.workflowId)}</code>`;
}

/** Per-symbol out-of-sample metrics of the primary model and its sign strategy. */
function bySymbolTable(m: RunMetrics): string {
  const by = m.bySymbol;
  if (!by || Object.keys(by).length === 0) return '<p>No per-symbol breakdown in this run.</p>';
  const sleeves = m.backtest.byModel[m.primary]?.bySymbol;
  const rows = Object.entries(by)
    .map(([symbol, s]) => {
      const r = s.models[m.primary];
      const base = s.models['baseline:mean'];
      const skill = r && base && base.mae > 0 ? `${(((base.mae - r.mae) / base.mae) * 100).toFixed(2)}%` : '';
      const sl = sleeves?.[symbol];
      return `<tr><td>${esc(symbol)}</td><td>${s.n}</td>` +
        (r ? `<td>${r.r2.toFixed(4)}</td><td>${skill}</td><td>${r.dirAcc.toFixed(3)}</td><td>${r.ic.toFixed(4)}</td>` : '<td colspan="4"></td>') +
        (sl ? `<td>${pct(sl.total)}</td><td>${pct(sl.buyHold)}</td><td>${sl.trades}</td>` : '<td colspan="3"></td>') +
        '</tr>';
    })
    .join('');
  return `<table class="by-symbol"><tr><th>symbol</th><th>samples</th><th>R²</th><th>MAE vs baseline:mean</th><th>dir-acc</th><th>Spearman IC</th><th>sign strategy</th><th>buy &amp; hold</th><th>position changes</th></tr>${rows}</table>`;
}

function rank(id: string): number {
  const i = CHART_ORDER.indexOf(id);
  return i === -1 ? CHART_ORDER.length : i;
}
