// Equity curve of "go long if the forecast is up, short if down" on out-of-sample predictions,
// net of fees. Labels are forward returns over the horizon, so consecutive bars overlap; only
// non-overlapping decisions (one per horizon per symbol) are taken, else returns would be counted
// several times. Capital is split equally across symbols.

export interface BacktestInput {
  time: ArrayLike<number>;
  symbol: ArrayLike<string>;
  y: ArrayLike<number>;
  pred: ArrayLike<number>;
  horizonMs: number;
  /** Fee per side as a fraction (0.001 = 0.1%). */
  feePerSide: number;
}

export interface EquityCurve {
  time: number[];
  /** Cumulative simple return sum (not compounded), strategy and buy-and-hold. */
  strategy: number[];
  buyHold: number[];
  trades: number;
  totalStrategy: number;
  totalBuyHold: number;
  feesPaid: number;
}

export function signStrategy(inp: BacktestInput): EquityCurve {
  const n = inp.y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => inp.time[a] - inp.time[b] || a - b);
  const symbols = [...new Set(Array.from({ length: n }, (_, i) => inp.symbol[i]))];
  const w = 1 / Math.max(1, symbols.length);
  const nextAllowed = new Map<string, number>();
  const pos = new Map<string, number>();
  const out: EquityCurve = { time: [], strategy: [], buyHold: [], trades: 0, totalStrategy: 0, totalBuyHold: 0, feesPaid: 0 };
  let eq = 0;
  let bh = 0;
  for (const i of order) {
    const s = inp.symbol[i];
    const t = inp.time[i];
    if (t < (nextAllowed.get(s) ?? -Infinity)) continue;
    nextAllowed.set(s, t + Math.max(1, inp.horizonMs));
    const p = inp.pred[i] > 0 ? 1 : inp.pred[i] < 0 ? -1 : 0;
    const prev = pos.get(s) ?? 0;
    const fee = inp.feePerSide * Math.abs(p - prev);
    if (p !== prev) out.trades++;
    pos.set(s, p);
    out.feesPaid += w * fee;
    eq += w * (p * inp.y[i] - fee);
    if (!pos.has(`bh:${s}`)) {
      pos.set(`bh:${s}`, 1);
      bh -= w * inp.feePerSide;
    }
    bh += w * inp.y[i];
    out.time.push(t);
    out.strategy.push(eq);
    out.buyHold.push(bh);
  }
  out.totalStrategy = eq;
  out.totalBuyHold = bh;
  return out;
}
