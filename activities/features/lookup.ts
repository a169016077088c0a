// Looks up each sample's features in the per-series feature columns, using only bars that have
// closed at the sample's time (openTime + interval ≤ t), and decides whether the sample is
// usable. The first failing check gives the drop reason.
import { calendarFeatures } from './indicators/calendar';
import type { BarFeatures } from './compute-features';
import { lastClosedBar, type KlineSeries } from './kline-series';
import type { RowSink } from './row-sink';
import { DROP, type ValidityCollector } from './validity';

export interface SampleRef {
  symbol: string;
  time: number;
  label: number | null | undefined;
}

export interface LookupOptions {
  warmupBars: number;
  calendar: boolean;
}

export function lookupSamples(
  samples: readonly SampleRef[],
  series: KlineSeries | null,
  bar: BarFeatures | null,
  opts: LookupOptions,
  sink: RowSink,
  validity: ValidityCollector,
): void {
  const nb = bar ? bar.columns.length : 0;
  for (const sm of samples) {
    const reason = series && bar ? check(sm, series, bar, opts) : { reason: DROP.noKlines, j: -1 };
    if (reason.reason) {
      validity.drop(sm.symbol, sm.time, reason.reason);
      continue;
    }
    const row = sink.push(sm.symbol, sm.time, sm.label as number);
    for (let f = 0; f < nb; f++) row[f] = bar!.columns[f][reason.j];
    if (opts.calendar) row.set(calendarFeatures(sm.time), nb);
    validity.kept();
  }
}

function check(sm: SampleRef, s: KlineSeries, bar: BarFeatures, opts: LookupOptions): { reason: string | null; j: number } {
  const iv = s.intervalMs;
  const j = lastClosedBar(s, sm.time);
  // The bar that should have closed most recently; if the store lacks it, the features would be stale.
  const expectedOpen = Math.floor((sm.time - iv) / iv) * iv;
  if (j < 0 || s.openTime[j] !== expectedOpen) return { reason: DROP.noKlines, j };
  if (j - s.runStart[j] + 1 < opts.warmupBars) return { reason: DROP.gap, j };
  if (typeof sm.label !== 'number' || !Number.isFinite(sm.label)) return { reason: DROP.labelMissing, j };
  for (let f = 0; f < bar.columns.length; f++) {
    if (!Number.isFinite(bar.columns[f][j])) return { reason: DROP.nonFinite(bar.names[f]), j };
  }
  return { reason: null, j };
}
