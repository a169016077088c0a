// The report's "Live shadow evaluation" section: the nightly shadow record of this version
// (models/registry/shadow.ts), one row per evaluated day, and its chart.
import path from 'node:path';
import { VERSION_RE } from '../../../models/registry/layout';
import { readShadowSeries, type ShadowDay } from '../../../models/registry/shadow';
import { esc } from './svg';

/** The days shadow-evaluated with the version in `runDir`; none for a staging run. */
export async function shadowDaysOf(runDir: string): Promise<ShadowDay[]> {
  const version = path.basename(runDir);
  return VERSION_RE.test(version) ? readShadowSeries(path.dirname(runDir), version) : [];
}

const num = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? '–' : v.toFixed(d));

export function shadowSectionHtml(days: ShadowDay[], chartSvg?: string): string {
  if (days.length === 0) return '';
  const last = days[days.length - 1];
  const rule = last.drift.rule;
  const rows = days
    .map((d) => {
      const m = d.metrics;
      const w = d.window;
      const dropped = Object.entries(d.dropped).map(([r, n]) => `${n} ${r}`).join('; ');
      return `<tr class="${d.drift.status}"><td>${esc(d.day)}</td><td>${d.trades}</td><td>${d.scored}${d.simulated ? ` (${d.simulated} simulated)` : ''}</td><td>${esc(dropped)}</td>` +
        `<td>${num(m?.dirAcc)}</td><td>${num(m?.ic)}</td><td>${num(m?.calibration.slope, 2)}</td><td>${m ? `${(m.calibration.meanPredicted * 100).toFixed(3)}% / ${(m.calibration.meanRealised * 100).toFixed(3)}%` : '–'}</td>` +
        `<td>${w?.n ?? 0}</td><td>${num(w?.dirAcc)}</td><td>${num(w?.ic)}</td><td title="${esc(d.drift.reason)}">${d.drift.status === 'drift' ? 'DRIFT' : d.drift.status}${d.driftEvent ? ` (${esc(d.driftEvent.stream)} ${esc(d.driftEvent.id)})` : ''}</td></tr>`;
    })
    .join('');
  const cv = (m: 'dirAcc' | 'ic') => `${last.cv[m].mean.toFixed(3)} ± ${last.cv[m].std.toFixed(3)}`;
  return `<section class="shadow"><h2>Live shadow evaluation</h2>
<p>Every night the day's closed trades are scored with this version, their features built at entry exactly as in training.
Forecast: ${esc(last.model.forecast)}. CV estimate (${esc(last.model.primary)}): dir-acc ${cv('dirAcc')}, IC ${cv('ic')}.
Drift when the pooled last ${rule.windowDays} day(s) (at least ${rule.minTrades} trades) fall below the CV mean by more than ${rule.spreads}× its spread in ${esc(rule.metrics.join(' or '))}.</p>
<p class="${last.drift.status === 'drift' ? 'fail' : 'pass'}">Latest (${esc(last.day)}): ${esc(last.drift.reason)}</p>
${chartSvg ? `<figure>${chartSvg}<figcaption><a href="shadow.png">shadow.png</a></figcaption></figure>` : ''}
<table class="shadow"><tr><th>day</th><th>trades</th><th>scored</th><th>not scored</th><th>dir-acc</th><th>IC</th><th>calibration slope</th><th>mean forecast / realised</th><th>window trades</th><th>window dir-acc</th><th>window IC</th><th>verdict</th></tr>${rows}</table></section>`;
}
