// The training report as a desk member reads it: trained by a real pipeline run (Temporal dev
// server, worker, Redis), then opened in headless Chromium. It must render without console
// errors, every chart must carry data, no legend may sit on the data, the equity figures must be
// compounded (never below −100 %), there must be a per-symbol breakdown, and the report and
// run.json must name the workflow that trained the run.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { compileYaml } from '../support/pipelines';
import { openHeadless, type HeadlessPage } from '../support/chromium';
import { startRun } from '../../cli/run';
import { writeDataset, type Dataset } from '../../activities/features/dataset';
import type { RunState } from '../../workflows/run-state';
import type { RunMetrics } from '../../activities/training/report/run-metrics';
import { klineDataset } from './support/kline-dataset';

const stack = useStack();

/** BTC and ETH rows of the real-kline dataset, merged in time order (two symbols, one table). */
function twoSymbolDataset(rows: number): Dataset {
  const parts = [klineDataset({ symbol: 'BTCUSDT', rows, horizon: 5 }), klineDataset({ symbol: 'ETHUSDT', rows, horizon: 5 })];
  const all = parts.flatMap((d) => Array.from(d.y, (_, i) => ({ d, i })));
  all.sort((a, b) => a.d.time[a.i] - b.d.time[b.i] || (a.d.symbol[a.i] < b.d.symbol[b.i] ? -1 : 1));
  const nf = parts[0].featureNames.length;
  const X = new Float64Array(all.length * nf);
  all.forEach(({ d, i }, r) => X.set(d.X.subarray(i * nf, (i + 1) * nf), r * nf));
  const time = Float64Array.from(all, ({ d, i }) => d.time[i]);
  return {
    featureNames: parts[0].featureNames,
    X,
    y: Float64Array.from(all, ({ d, i }) => d.y[i]),
    time,
    symbol: all.map(({ d, i }) => d.symbol[i]),
    meta: { ...parts[0].meta, symbols: ['BTCUSDT', 'ETHUSDT'], rows: all.length, timeSpan: { from: time[0], to: time[time.length - 1] } },
  };
}

const pipeline = (datasetFile: string) => `
name: report-browser
stages:
  train:
    uses: training.train
    with:
      datasetFile: ${JSON.stringify(datasetFile)}
      name: report-browser
      models: [gbdt, mlp, ensemble]
      gbdt: { n_estimators: 40, max_depth: 3, eta: 0.1, early_stopping_rounds: 10, seed: 1 }
      mlp: { hidden: [8], epochs: 4, batchSize: 128, learningRate: 0.003, seed: 1 }
      cv: { folds: 3, embargo: 5 }
  evaluate:
    uses: training.evaluate
    needs: train
    with: { runDir: "\${{ stages.train.outputs.runDir }}", gate: { metric: mae, mustBeatBaseline: none } }
  publish:
    uses: models.publish
    needs: evaluate
    with: { runDir: "\${{ stages.train.outputs.runDir }}", name: report-browser }
`;

describe('the training report in headless Chromium', () => {
  let workflowId: string;
  let versionDir: string;
  let browser: HeadlessPage;

  beforeAll(async () => {
    const written = await writeDataset(stack.config.dataDir, twoSymbolDataset(1500));
    const handle = await startRun(stack.client, stack.config, compileYaml(pipeline(written.file)));
    workflowId = handle.workflowId;
    const state = (await handle.result()) as RunState;
    versionDir = (state.stages.publish.outputs as { versionDir: string }).versionDir;
    browser = await openHeadless();
  }, 180_000);
  afterAll(async () => browser?.close());

  it('run.json, metrics.json and the report name the workflow that trained the run', async () => {
    const run = JSON.parse(await readFile(path.join(versionDir, 'run.json'), 'utf8'));
    expect(run.workflow).toMatchObject({ workflowId, workflowType: 'pipeline', namespace: 'default' });
    expect(run.workflow.runId).toMatch(/^[0-9a-f-]{36}$/);
    const metrics = JSON.parse(await readFile(path.join(versionDir, 'metrics.json'), 'utf8')) as RunMetrics;
    expect(metrics.workflow?.workflowId).toBe(workflowId);
    expect(await readFile(path.join(versionDir, 'report/summary.txt'), 'utf8')).toContain(`trained by workflow ${workflowId}`);
  });

  it('compounds the sign strategy: no total or curve below −100 %, per-symbol sleeves add up', async () => {
    const m = JSON.parse(await readFile(path.join(versionDir, 'metrics.json'), 'utf8')) as RunMetrics;
    for (const [name, b] of Object.entries(m.backtest.byModel)) {
      expect(b.total, name).toBeGreaterThan(-1);
      const sleeves = Object.values(b.bySymbol!);
      expect(sleeves).toHaveLength(2);
      // Equal capital per symbol: the portfolio's growth is the mean of the sleeves' growth.
      expect(1 + b.total).toBeCloseTo(sleeves.reduce((a, s) => a + (1 + s.total), 0) / 2, 10);
    }
    expect(Object.keys(m.bySymbol!)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(m.bySymbol!.BTCUSDT.n + m.bySymbol!.ETHUSDT.n).toBe(m.folds.reduce((a, f) => a + f.test, 0));
  });

  it('renders with no console errors, charts with data, legends off the data, a per-symbol table', async () => {
    const { page, errors } = browser;
    await page.goto(pathToFileURL(path.join(versionDir, 'report/report.html')).href, { waitUntil: 'load' });
    expect(await page.locator('h1').textContent()).toContain('report-browser');
    expect(await page.locator('p.workflow').textContent()).toContain(workflowId);

    const charts = await page.locator('figure svg').evaluateAll((svgs) =>
      svgs.map((svg) => {
        const box = (el: Element) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
        };
        const points = Array.from(svg.querySelectorAll('polyline.series')).map((p) => (p.getAttribute('points') ?? '').trim().split(/\s+/).length);
        return {
          title: svg.querySelector('text')?.textContent ?? '',
          box: box(svg),
          linePoints: points.reduce((a, b) => a + b, 0),
          bars: Array.from(svg.querySelectorAll('rect.bar')).filter((r) => r.getBoundingClientRect().width > 0).length,
          dots: svg.querySelectorAll('circle.point').length,
          plot: svg.querySelector('rect.plot-area') ? box(svg.querySelector('rect.plot-area')!) : null,
          legend: svg.querySelector('g.legend') ? box(svg.querySelector('g.legend')!) : null,
          yTicks: Array.from(svg.querySelectorAll('text[text-anchor="end"]')).map((t) => t.textContent ?? ''),
        };
      }),
    );
    expect(charts.map((c) => c.title)).toEqual(expect.arrayContaining([expect.stringMatching(/compounded/), expect.stringMatching(/by symbol/)]));
    expect(charts.length).toBeGreaterThanOrEqual(8);
    for (const c of charts) {
      expect(c.box.width, c.title).toBeGreaterThan(300);
      expect(c.box.height, c.title).toBeGreaterThan(150);
      expect(c.linePoints + c.bars + c.dots, `${c.title}: no data drawn`).toBeGreaterThan(1);
      expect(c.plot, c.title).not.toBeNull();
      if (c.legend) {
        const overlaps = c.legend.left < c.plot!.right && c.legend.right > c.plot!.left && c.legend.top < c.plot!.bottom && c.legend.bottom > c.plot!.top;
        expect(overlaps, `${c.title}: legend over the plot`).toBe(false);
        expect(c.legend.bottom, `${c.title}: legend cut off`).toBeLessThanOrEqual(c.box.bottom);
      }
    }
    const equity = charts.find((c) => /compounded, net/.test(c.title))!;
    expect(equity.linePoints).toBeGreaterThan(100);
    const ticks = equity.yTicks.map(Number).filter(Number.isFinite);
    expect(ticks.length).toBeGreaterThan(2);
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(-100);

    const symbols = await page.locator('table.by-symbol tr td:first-child').allTextContents();
    expect(symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(errors).toEqual([]);
  });
});
