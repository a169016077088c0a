// Draws the run's charts into <runDir>/report/ as .svg (embedded in the HTML) and .png.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EquityCurve } from '../../../models/evaluation/backtest';
import type { RunMetrics } from './run-metrics';
import { groupedBarChart, importanceChart, lineChart, scatterChart } from './charts';
import { svgToPng } from './png';

export interface ChartInputs {
  metrics: RunMetrics;
  /** Out-of-sample actuals and the primary model's forecasts. */
  actual: Float64Array;
  predicted: Float64Array;
  equity: Record<string, EquityCurve>;
}

export interface ChartFile {
  id: string;
  title: string;
  svg: string;
  png: string;
}

export async function renderCharts(reportDir: string, c: ChartInputs): Promise<ChartFile[]> {
  await mkdir(reportDir, { recursive: true });
  const m = c.metrics;
  const charts: Array<{ id: string; title: string; svg: string }> = [];
  charts.push({ id: 'scatter', title: `${m.primary}: out-of-sample predicted vs actual`, svg: scatterChart(c.actual, c.predicted, `${m.primary}: out-of-sample predicted vs actual return`) });
  const folds = m.folds.map((f) => `fold ${f.fold}`);
  const series = (metric: 'r2' | 'mae' | 'dirAcc') => Object.entries(m.models).map(([name, r]) => ({ name, values: r.folds.map((f) => f[metric]) }));
  charts.push({ id: 'folds-r2', title: 'R² per fold', svg: groupedBarChart(folds, series('r2'), 'Out-of-sample R² per fold', 'R²') });
  charts.push({ id: 'folds-mae', title: 'MAE per fold', svg: groupedBarChart(folds, series('mae'), 'Out-of-sample MAE per fold', 'MAE') });
  const base = m.models['baseline:mean'];
  if (base) {
    // Absolute MAEs of all models sit within a fraction of a percent of each other: show the gap.
    const skill = Object.entries(m.models)
      .filter(([name]) => name !== 'baseline:mean')
      .map(([name, r]) => ({ name, values: r.folds.map((f, i) => (100 * (base.folds[i].mae - f.mae)) / base.folds[i].mae) }));
    charts.push({ id: 'folds-mae-skill', title: 'MAE improvement over the training-mean baseline per fold', svg: groupedBarChart(folds, skill, 'MAE improvement over the training-mean baseline (%, > 0 is better)', '% of baseline MAE') });
  }
  charts.push({ id: 'folds-diracc', title: 'Directional accuracy per fold', svg: groupedBarChart(folds, series('dirAcc'), 'Directional accuracy per fold', 'hit rate') });
  const fi = m.final.featureImportance;
  if (fi) charts.push({ id: 'importance', title: 'Feature importance (gbdt gain)', svg: importanceChart(Object.keys(fi.byFeature), Object.values(fi.byFeature), 'Feature importance (gbdt, mean split gain, final fit)') });
  const names = Object.keys(c.equity);
  if (names.length) {
    const first = c.equity[names[0]];
    const pct = (v: number[]) => v.map((x) => 100 * x);
    const lines = names.map((n) => ({ name: `${n} sign strategy`, values: pct(c.equity[n].strategy) }));
    lines.push({ name: 'buy & hold', values: pct(first.buyHold) });
    charts.push({
      id: 'equity',
      title: 'Equity curve',
      svg: lineChart(first.time, lines, `Sign strategy on OOS forecasts, compounded, net of ${(m.backtest.feePerSide * 100).toFixed(2)}% per side`, 'return on capital (%)'),
    });
    const primary = c.equity[m.primary] ?? first;
    const symbols = Object.keys(primary.bySymbol);
    if (symbols.length > 0) {
      charts.push({
        id: 'by-symbol',
        title: 'Sign strategy by symbol',
        svg: groupedBarChart(
          symbols,
          [
            { name: `${m.primary in c.equity ? m.primary : names[0]} sign strategy`, values: symbols.map((s) => 100 * primary.bySymbol[s].total) },
            { name: 'buy & hold', values: symbols.map((s) => 100 * primary.bySymbol[s].buyHold) },
          ],
          'Sign strategy by symbol (each symbol its own sleeve, compounded, net of fees)',
          'return on the sleeve (%)',
        ),
      });
    }
  }
  const out: ChartFile[] = [];
  for (const ch of charts) {
    const svg = path.join(reportDir, `${ch.id}.svg`);
    const png = path.join(reportDir, `${ch.id}.png`);
    await writeFile(svg, ch.svg);
    await writeFile(png, svgToPng(ch.svg));
    out.push({ id: ch.id, title: ch.title, svg, png });
  }
  return out;
}
