// Puts the model's forecasts next to the trades: dataset rows (symbol, entry time, label = pnl)
// are matched back to the trades they were built from, and the forecast becomes a forecast of
// the trade's pnl. A model trained on trade pnl forecasts it directly; a model of price returns
// (forward/barrier labels) forecasts the move, which a short trade earns with the sign flipped.
import type { Dataset } from '../features/dataset';
import type { Trade } from '../trades/trade';
import type { ScoredTrade } from '../../models/registry/shadow';

export function forecastMeaning(labelKind: string | null): string {
  return labelKind === 'trade' ? 'trade pnl (the model was trained on trade pnl)' : 'price return over the label horizon, sign-flipped for short trades';
}

export function toPnlForecast(labelKind: string | null, side: Trade['side'], prediction: number): number {
  return labelKind === 'trade' || side === 'long' ? prediction : -prediction;
}

/** Pairs each dataset row with the trade it came from: same symbol and entry time, and the same
 * label (pnl/100 round-trips exactly through the samples and dataset files). */
export function matchRows(ds: Dataset, trades: Trade[]): Array<Trade | undefined> {
  const byKey = new Map<string, Trade[]>();
  for (const t of [...trades].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const k = `${t.symbol}\u0000${t.entry_time_ms}`;
    const list = byKey.get(k);
    if (list) list.push(t);
    else byKey.set(k, [t]);
  }
  return Array.from(ds.y, (label, r) => {
    const list = byKey.get(`${ds.symbol[r]}\u0000${ds.time[r]}`);
    if (!list || list.length === 0) return undefined;
    const i = Math.max(0, list.findIndex((t) => t.pnl_pct / 100 === label));
    return list.splice(i, 1)[0];
  });
}

export function scoreRows(ds: Dataset, trades: Trade[], predictions: Float64Array, labelKind: string | null): ScoredTrade[] {
  const matched = matchRows(ds, trades);
  const out: ScoredTrade[] = [];
  matched.forEach((t, r) => {
    if (!t) throw new Error(`dataset row ${r} (${ds.symbol[r]} at ${new Date(ds.time[r]).toISOString()}) matches no trade of the day`);
    out.push({
      id: t.id,
      symbol: t.symbol,
      side: t.side,
      entryTime: t.entry_time_ms,
      exitTime: t.exit_time_ms,
      predicted: toPnlForecast(labelKind, t.side, predictions[r]),
      realised: t.pnl_pct / 100,
      simulated: t.simulated,
    });
  });
  return out;
}
