// The live record of a published model as a chart: one point per evaluated day of the pooled
// window's directional accuracy and IC, against the drift thresholds (CV mean − spreads × std).
// Days are evenly spaced categories, so a single day still shows as points.
import type { ShadowDay } from '../../../models/registry/shadow';
import { axes, esc, extent, fmtNum, frame, legend, legendSpace, PALETTE, svgDoc } from './svg';

const W = 720;
const H = 420;

export function shadowChart(days: ShadowDay[], title: string): string {
  const judged = days.map((d) => d.window);
  const series = [
    { name: 'live dir-acc (window)', color: PALETTE[0], values: judged.map((w) => w?.dirAcc ?? NaN) },
    { name: 'live IC (window)', color: PALETTE[1], values: judged.map((w) => w?.ic ?? NaN) },
  ];
  const last = days[days.length - 1];
  const thresholds = (last?.drift.checks ?? []).map((c) => ({
    name: `drift below: CV ${c.metric} ${fmtNum(c.cvMean)} − ${last.drift.rule.spreads}×${fmtNum(c.cvStd)}`,
    color: c.metric === 'dirAcc' ? PALETTE[0] : PALETTE[1],
    value: c.threshold,
  }));
  const names = [...series.map((s) => s.name), ...thresholds.map((t) => t.name), 'drift alarm'];
  const extra = legendSpace(names, W - 90);
  const [lo, hi] = extent([...series.flatMap((s) => s.values), ...thresholds.map((t) => t.value), 0, 1]);
  const pad = (hi - lo) * 0.05;
  const f = frame(W, H + extra, [0, Math.max(1, days.length)], [lo - pad, hi + pad], { l: 70, r: 20, t: 40, b: 50 + extra });
  const x = (i: number) => f.x(i + 0.5);
  const step = Math.max(1, Math.ceil(days.length / 8));
  const xTicks = days.map((d, i) => ({ v: i + 0.5, label: d.day })).filter((_, i) => i % step === 0);
  const lines = series
    .map((s) => {
      const pts = s.values.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${f.y(v).toFixed(1)}` : null)).filter((p): p is string => p !== null);
      const dot = (v: number, i: number) =>
        `<circle class="point" cx="${x(i).toFixed(1)}" cy="${f.y(v).toFixed(1)}" r="3.5" fill="${s.color}">` +
        `<title>${esc(`${days[i].day} ${s.name}: ${fmtNum(v)} (n=${days[i].window?.n ?? 0})`)}</title></circle>`;
      const dots = s.values.map((v, i) => (Number.isFinite(v) ? dot(v, i) : '')).join('');
      return (pts.length > 1 ? `<polyline class="series" points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="1.5"/>` : '') + dots;
    })
    .join('');
  const limits = thresholds.map((t) => `<line class="threshold" x1="${f.left}" x2="${f.right}" y1="${f.y(t.value)}" y2="${f.y(t.value)}" stroke="${t.color}" stroke-dasharray="6 4"/>`).join('');
  const alarms = days
    .map((d, i) => (d.drift.status === 'drift' ? `<rect class="alarm" x="${(x(i) - 6).toFixed(1)}" y="${f.top}" width="12" height="${f.bottom - f.top}" fill="#d62728" fill-opacity="0.15"><title>${esc(`${d.day}: ${d.drift.reason}`)}</title></rect>` : ''))
    .join('');
  const body = axes(f, { yLabel: 'dir-acc / Spearman IC', xTicks }) + alarms + limits + lines +
    legend(f, names, [...series.map((s) => s.color), ...thresholds.map((t) => t.color), '#f4c6c6']);
  return svgDoc(f, body, title);
}
