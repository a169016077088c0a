// A training sample's target. Every label is a SIMPLE return as a fraction (0.01 = +1 %), so
// samples of different kinds share one unit:
//   trade    realised pnl of a closed trade (pnl_pct / 100, after the bot's fees)
//   forward  close(bar + horizon) / close(bar) − 1 (no fees)
//   barrier  return at the first of take profit / stop loss / time limit (no fees)
// `time` is the decision time: features may use only bars closed before it. For kline labels it
// is the close time of the bar + 1 ms (the next bar's open); for trades, the entry time.
// The label is known at `time + horizonMs` at the latest: a time-series CV must purge at least
// horizonMs between training and test samples.
export type SampleKind = 'trade' | 'forward' | 'barrier';

export interface Sample {
  symbol: string;
  time: number;
  label: number;
  kind: SampleKind;
  horizonMs: number;
}

export interface LabelResult {
  samples: Sample[];
  /** Samples not produced, by reason ('gap': the horizon crosses missing bars; 'end-of-data'). */
  dropped: Record<string, number>;
}

export function compareSamples(a: Sample, b: Sample): number {
  return a.time - b.time || cmp(a.symbol, b.symbol) || cmp(a.kind, b.kind) || a.horizonMs - b.horizonMs || a.label - b.label;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countDrop(dropped: Record<string, number>, reason: string): void {
  dropped[reason] = (dropped[reason] ?? 0) + 1;
}
