// Equity curve of "go long if the forecast is up, short if down" on out-of-sample predictions,
// net of fees. Labels are forward returns over the horizon, so consecutive bars overlap; only
// non-overlapping decisions (one per horizon per symbol) are taken, else returns would be counted
// several times. Capital is split equally across symbols into sleeves, and each sleeve compounds
// its own returns: a sleeve's value is Π (1 − fee)·(1 + position·return), so equity is a growth
// of capital and can never fall below −100 % (a sleeve that loses everything stays at 0).

export interface BacktestInput {
  time: ArrayLike<number>;
  symbol: ArrayLike<string>;
  y: ArrayLike<number>;
  pred: ArrayLike<number>;
  horizonMs: number;
  /** Fee per side as a fraction (0.001 = 0.1%). */
  feePerSide: number;
}

export interface SleeveResult {
  /** Compounded return of the symbol's sleeve (0.05 = +5 %). */
  total: number;
  buyHold: number;
  /** Position changes. */
  trades: number;
  /** Decisions taken (non-overlapping horizons). */
  decisions: number;
  /** Fees paid, as a fraction of the sleeve's starting capital. */
  fees: number;
}

export interface EquityCurve {
  time: number[];
  /** Compounded return of the whole portfolio after each decision (0 = break-even, ≥ −1). */
  strategy: number[];
  buyHold: number[];
  trades: number;
  totalStrategy: number;
  totalBuyHold: number;
  /** Fees paid, as a fraction of the starting capital. */
  feesPaid: number;
  bySymbol: Record<string, SleeveResult>;
}

interface Sleeve {
  value: number;
  hold: number;
  position: number;
  holding: boolean;
  nextAllowed: number;
  result: SleeveResult;
}

export function signStrategy(inp: BacktestInput): EquityCurve {
  const n = inp.y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => inp.time[a] - inp.time[b] || a - b);
  const symbols = [...new Set(Array.from({ length: n }, (_, i) => inp.symbol[i]))].sort();
  const w = 1 / Math.max(1, symbols.length);
  const sleeves = new Map<string, Sleeve>();
  for (const s of symbols) {
    sleeves.set(s, { value: 1, hold: 1, position: 0, holding: false, nextAllowed: -Infinity, result: { total: 0, buyHold: 0, trades: 0, decisions: 0, fees: 0 } });
  }
  const out: EquityCurve = { time: [], strategy: [], buyHold: [], trades: 0, totalStrategy: 0, totalBuyHold: 0, feesPaid: 0, bySymbol: Object.create(null) };
  // Portfolio value = Σ w·sleeve value; kept as running sums so each step is O(1).
  let equity = 1;
  let hold = 1;
  for (const i of order) {
    const sl = sleeves.get(inp.symbol[i])!;
    const t = inp.time[i];
    if (t < sl.nextAllowed) continue;
    sl.nextAllowed = t + Math.max(1, inp.horizonMs);
    sl.result.decisions++;
    const p = inp.pred[i] > 0 ? 1 : inp.pred[i] < 0 ? -1 : 0;
    const fee = inp.feePerSide * Math.abs(p - sl.position);
    if (p !== sl.position) {
      out.trades++;
      sl.result.trades++;
    }
    sl.position = p;
    const before = sl.value;
    sl.result.fees += before * fee;
    out.feesPaid += w * before * fee;
    sl.value = Math.max(0, before * (1 - fee) * (1 + p * inp.y[i]));
    equity += w * (sl.value - before);

    const holdBefore = sl.hold;
    const entryFee = sl.holding ? 0 : inp.feePerSide;
    sl.holding = true;
    sl.hold = Math.max(0, holdBefore * (1 - entryFee) * (1 + inp.y[i]));
    hold += w * (sl.hold - holdBefore);

    out.time.push(t);
    out.strategy.push(equity - 1);
    out.buyHold.push(hold - 1);
  }
  let value = 0;
  let held = 0;
  for (const [s, sl] of sleeves) {
    out.bySymbol[s] = { ...sl.result, total: sl.value - 1, buyHold: sl.hold - 1 };
    value += w * sl.value;
    held += w * sl.hold;
  }
  out.totalStrategy = value - 1;
  out.totalBuyHold = held - 1;
  return out;
}
