// The report's four charts as SVG strings.
import { axes, esc, extent, fmtNum, frame, legend, legendSpace, PALETTE, svgDoc } from './svg';

const W = 720;
const H = 420;
const MARGIN = { l: 70, r: 20, t: 40, b: 50 };

/** A frame with room under the plot for a legend of `names`. */
function frameWithLegend(names: string[], xDomain: [number, number], yDomain: [number, number]) {
  const extra = legendSpace(names, W - MARGIN.l - MARGIN.r);
  return frame(W, H + extra, xDomain, yDomain, { ...MARGIN, b: MARGIN.b + extra });
}

/** Predicted vs actual, at most `maxPoints` points (evenly subsampled), with the y = x line. */
export function scatterChart(actual: ArrayLike<number>, predicted: ArrayLike<number>, title: string, maxPoints = 4000): string {
  const n = actual.length;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i += step) {
    xs.push(actual[i]);
    ys.push(predicted[i]);
  }
  // Robust range: returns have fat tails; clip the view to the 0.5–99.5% quantiles of actuals.
  const sorted = [...xs].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * (sorted.length - 1))))] ?? 0;
  const xd: [number, number] = [q(0.005), q(0.995)];
  const yd = extent(ys);
  const lo = Math.min(xd[0], yd[0]);
  const hi = Math.max(xd[1], yd[1]);
  const f = frame(W, H, [xd[0], xd[1]], [Math.min(yd[0], lo), Math.max(yd[1], hi)]);
  const clip = `<clipPath id="clip-scatter"><rect x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}"/></clipPath>`;
  const dots = xs.map((x, i) => `<circle class="point" cx="${f.x(x).toFixed(1)}" cy="${f.y(ys[i]).toFixed(1)}" r="1.6"/>`).join('');
  const body =
    clip +
    axes(f, { xLabel: 'actual', yLabel: 'predicted' }) +
    `<g clip-path="url(#clip-scatter)"><line x1="${f.x(lo)}" y1="${f.y(lo)}" x2="${f.x(hi)}" y2="${f.y(hi)}" stroke="#d62728" stroke-dasharray="4 3"/>` +
    `<g fill="${PALETTE[0]}" fill-opacity="0.35">${dots}</g></g>` +
    `<text x="${f.right - 6}" y="${f.top + 14}" text-anchor="end" font-size="11" fill="#d62728">y = x</text>`;
  return svgDoc(f, body, title);
}

/** Grouped bars: one group per category (fold), one bar per series (model). */
export function groupedBarChart(categories: string[], series: Array<{ name: string; values: number[] }>, title: string, yLabel: string): string {
  const all = series.flatMap((s) => s.values);
  const [lo, hi] = extent([...all, 0]);
  const pad = (hi - lo) * 0.05;
  const f = frameWithLegend(series.map((s) => s.name), [0, categories.length], [lo < 0 ? lo - pad : lo, hi > 0 ? hi + pad : hi]);
  const groupW = (f.right - f.left) / categories.length;
  const barW = (groupW * 0.8) / series.length;
  const bars: string[] = [];
  categories.forEach((_, c) => {
    series.forEach((s, k) => {
      const v = s.values[c];
      const x = f.left + c * groupW + groupW * 0.1 + k * barW;
      const y0 = f.y(0);
      const y1 = f.y(v);
      bars.push(`<rect class="bar" x="${x.toFixed(1)}" y="${Math.min(y0, y1).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${Math.max(0.5, Math.abs(y1 - y0)).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"><title>${esc(`${s.name}: ${fmtNum(v)}`)}</title></rect>`);
    });
  });
  const xTicks = categories.map((label, c) => ({ v: c + 0.5, label }));
  const body =
    axes(f, { yLabel, xTicks }) +
    bars.join('') +
    `<line x1="${f.left}" x2="${f.right}" y1="${f.y(0)}" y2="${f.y(0)}" stroke="#000"/>` +
    legend(f, series.map((s) => s.name), series.map((_, k) => PALETTE[k % PALETTE.length]));
  return svgDoc(f, body, title);
}

/** Horizontal bars, largest first, at most `top` features. */
export function importanceChart(names: string[], values: number[], title: string, top = 20): string {
  const order = values.map((v, i) => i).sort((a, b) => values[b] - values[a]).slice(0, top);
  const h = Math.max(200, 60 + order.length * 22);
  const f = frame(W, h, [0, Math.max(...order.map((i) => values[i]), 1e-12)], [0, order.length], { l: 170, r: 30, t: 40, b: 40 });
  const rowH = (f.bottom - f.top) / Math.max(1, order.length);
  const bars = order
    .map((i, r) => {
      const y = f.top + r * rowH + rowH * 0.15;
      return (
        `<rect class="bar" x="${f.left}" y="${y.toFixed(1)}" width="${(f.x(values[i]) - f.left).toFixed(1)}" height="${(rowH * 0.7).toFixed(1)}" fill="${PALETTE[0]}"/>` +
        `<text x="${f.left - 6}" y="${(y + rowH * 0.5).toFixed(1)}" text-anchor="end" font-size="11">${esc(names[i])}</text>`
      );
    })
    .join('');
  const ticks = `<rect class="plot-area" x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#333"/>` +
    [0, 0.5, 1].map((t) => {
      const v = f.xDomain[0] + t * (f.xDomain[1] - f.xDomain[0]);
      return `<text x="${f.x(v)}" y="${f.bottom + 16}" text-anchor="middle" font-size="11">${fmtNum(v)}</text>`;
    }).join('');
  return svgDoc(f, ticks + bars, title);
}

/** Lines over time (ms since epoch on x). */
export function lineChart(time: number[], series: Array<{ name: string; values: number[] }>, title: string, yLabel: string): string {
  const [t0, t1] = extent(time);
  const f = frameWithLegend(series.map((s) => s.name), [t0, t1], extent([...series.flatMap((s) => s.values), 0]));
  // A gap in the data (far longer than the usual spacing) breaks the line instead of bridging it.
  const gaps = time.slice(1).map((t, i) => t - time[i]).sort((a, b) => a - b);
  const usual = gaps[Math.floor(gaps.length / 2)] ?? 0;
  const step = Math.max(1, Math.ceil(time.length / 2000));
  // Every step-th point, and always the last one: the curve ends where the data ends.
  const shown: number[] = [];
  for (let i = 0; i < time.length; i += step) shown.push(i);
  if (time.length > 0 && shown[shown.length - 1] !== time.length - 1) shown.push(time.length - 1);
  const paths = series
    .map((s, k) => {
      const segments: string[][] = [[]];
      shown.forEach((i, j) => {
        if (j > 0 && usual > 0 && time[i] - time[shown[j - 1]] > 50 * usual * step) segments.push([]);
        segments[segments.length - 1].push(`${f.x(time[i]).toFixed(1)},${f.y(s.values[i]).toFixed(1)}`);
      });
      return segments
        .filter((pts) => pts.length > 1)
        .map((pts) => `<polyline class="series" points="${pts.join(' ')}" fill="none" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="1.5"/>`)
        .join('');
    })
    .join('');
  const day = (v: number) => new Date(v).toISOString().slice(0, 10);
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((p) => {
    const v = t0 + p * (t1 - t0);
    return { v, label: t1 - t0 < 10 * 86_400_000 ? new Date(v).toISOString().slice(5, 16).replace('T', ' ') : day(v) };
  });
  const body =
    axes(f, { yLabel, xTicks }) +
    `<line x1="${f.left}" x2="${f.right}" y1="${f.y(0)}" y2="${f.y(0)}" stroke="#000" stroke-dasharray="2 2"/>` +
    paths +
    legend(f, series.map((s) => s.name), series.map((_, k) => PALETTE[k % PALETTE.length]));
  return svgDoc(f, body, title);
}
