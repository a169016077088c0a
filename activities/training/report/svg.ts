// Minimal SVG chart toolkit: a plot frame with linear axes, ticks and labels. Charts are drawn
// by hand so the report needs no browser and renders the same in resvg and in any viewer.

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#7f7f7f', '#bcbd22', '#9467bd', '#d62728'];
export const FONT = 'DejaVu Sans, Arial, sans-serif';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function fmtNum(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000 || a < 0.001) return v.toExponential(1);
  if (a >= 10) return v.toFixed(0);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  x(v: number): number;
  y(v: number): number;
  xDomain: [number, number];
  yDomain: [number, number];
}

export function frame(width: number, height: number, xDomain: [number, number], yDomain: [number, number], margin = { l: 70, r: 20, t: 40, b: 50 }): Frame {
  const pad = (d: [number, number]): [number, number] => (d[1] > d[0] ? d : [d[0] - 1, d[0] + 1]);
  const xd = pad(xDomain);
  const yd = pad(yDomain);
  const left = margin.l;
  const right = width - margin.r;
  const top = margin.t;
  const bottom = height - margin.b;
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    xDomain: xd,
    yDomain: yd,
    x: (v) => left + ((v - xd[0]) / (xd[1] - xd[0])) * (right - left),
    y: (v) => bottom - ((v - yd[0]) / (yd[1] - yd[0])) * (bottom - top),
  };
}

export function svgDoc(f: Frame, body: string, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="${FONT}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="${f.width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>` +
    body +
    `</svg>`
  );
}

/** Axes box, grid lines and tick labels; xTicks may carry custom labels. */
export function axes(f: Frame, opts: { xLabel?: string; yLabel?: string; xTicks?: Array<{ v: number; label: string }>; noXTicks?: boolean } = {}): string {
  const parts: string[] = [];
  for (const v of niceTicks(f.yDomain[0], f.yDomain[1])) {
    const y = f.y(v);
    parts.push(`<line x1="${f.left}" x2="${f.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${f.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${fmtNum(v)}</text>`);
  }
  if (!opts.noXTicks) {
    const ticks = opts.xTicks ?? niceTicks(f.xDomain[0], f.xDomain[1]).map((v) => ({ v, label: fmtNum(v) }));
    for (const t of ticks) {
      const x = f.x(t.v);
      // Labels at the frame's edges would be cut off by the canvas when centred.
      const anchor = x - f.left < 30 ? 'start' : f.right - x < 30 ? 'end' : 'middle';
      parts.push(`<line x1="${x}" x2="${x}" y1="${f.bottom}" y2="${f.bottom + 4}" stroke="#333"/>`);
      parts.push(`<text x="${x}" y="${f.bottom + 17}" text-anchor="${anchor}" font-size="11">${esc(t.label)}</text>`);
    }
  }
  parts.push(`<rect class="plot-area" x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#333"/>`);
  if (opts.xLabel) parts.push(`<text x="${(f.left + f.right) / 2}" y="${f.bottom + 40}" text-anchor="middle" font-size="12">${esc(opts.xLabel)}</text>`);
  if (opts.yLabel) parts.push(`<text transform="translate(16 ${(f.top + f.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(opts.yLabel)}</text>`);
  return parts.join('');
}

const LEGEND_ROW = 16;
const LEGEND_TOP = 50;

function legendItemWidth(name: string): number {
  return 15 + name.length * 6.5 + 16;
}

/** Legend rows for `names` laid out left to right within a plot `width` wide. */
function legendLayout(names: string[], width: number): Array<{ name: string; row: number; x: number }> {
  const out: Array<{ name: string; row: number; x: number }> = [];
  let row = 0;
  let x = 0;
  for (const name of names) {
    const w = legendItemWidth(name);
    if (x > 0 && x + w > width) {
      row++;
      x = 0;
    }
    out.push({ name, row, x });
    x += w;
  }
  return out;
}

/** Extra bottom margin a legend of `names` needs below a plot `plotWidth` wide. */
export function legendSpace(names: string[], plotWidth: number): number {
  if (names.length === 0) return 0;
  const rows = Math.max(...legendLayout(names, plotWidth).map((l) => l.row)) + 1;
  return rows * LEGEND_ROW + 8;
}

/** The legend, below the plot and its axis labels (never over the data); the frame's bottom
 * margin must include legendSpace(names, plot width). */
export function legend(f: Frame, names: string[], colors: string[]): string {
  const top = f.bottom + LEGEND_TOP;
  const items = legendLayout(names, f.right - f.left)
    .map(({ name, row, x }, i) => {
      const y = top + row * LEGEND_ROW;
      const left = f.left + x;
      return `<rect x="${left}" y="${y}" width="10" height="10" fill="${colors[i]}"/><text x="${left + 15}" y="${y + 9}" font-size="11">${esc(name)}</text>`;
    })
    .join('');
  return `<g class="legend">${items}</g>`;
}

export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}
