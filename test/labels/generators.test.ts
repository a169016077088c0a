import { describe, expect, it } from 'vitest';
import type { Kline } from '../../activities/binance/kline';
import { barrierLabels } from '../../activities/labels/barrier';
import { forwardReturnLabels } from '../../activities/labels/forward';
import type { LabelResult, Sample } from '../../activities/labels/sample';
import { tradeLabels } from '../../activities/labels/trade-labels';
import { readValidTrades } from '../../activities/trades/import';
import { SIMULATED_FILE } from '../../activities/trades/simulated-file';
import { APRIL, bar, realKlines, SYMBOLS } from './klines';

const MIN = 60_000;
const april = realKlines(SYMBOLS, APRIL.fromMs, APRIL.toMs);
const H = 60;
const forward = (s: Record<string, Kline[]>) => forwardReturnLabels(s, { horizonBars: H, every: 60, intervalMs: MIN });
const barrier = (s: Record<string, Kline[]>) => barrierLabels(s, { takeProfitPct: 0.8, stopLossPct: 0.5, maxBars: H, every: 60, intervalMs: MIN });

const find = (r: LabelResult, symbol: string, time: number) => r.samples.find((s) => s.symbol === symbol && s.time === time);
/** Deterministic pseudo-random numbers in [0.5, 1.5). */
const noise = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) + 0.5;

function perturb(k: Kline, f: number): Kline {
  return { ...k, open: k.open * f, high: k.high * f * 1.01, low: k.low * f * 0.99, close: k.close * f };
}

describe.each([
  ['forward', forward],
  ['barrier', barrier],
] as const)('%s labels on real klines', (kind, labels) => {
  const every15 = (s: Record<string, Kline[]>) => (kind === 'forward'
    ? forwardReturnLabels(s, { horizonBars: H, every: 15, intervalMs: MIN })
    : barrierLabels(s, { takeProfitPct: 0.8, stopLossPct: 0.5, maxBars: H, every: 15, intervalMs: MIN }));
  const all = labels(april);

  it('give 1000+ samples from one month of 4 symbols, sorted by (time, symbol)', () => {
    expect(all.samples.length).toBeGreaterThan(1000);
    expect(new Set(all.samples.map((s) => s.symbol))).toEqual(new Set(SYMBOLS));
    const sorted = [...all.samples].sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : 1));
    expect(all.samples).toEqual(sorted);
    expect(all.samples.every((s) => s.kind === kind && s.horizonMs === H * MIN && s.time % (60 * MIN) === 0 && Number.isFinite(s.label))).toBe(true);
  });

  it('never use a bar after the horizon: perturbing every later bar leaves the label unchanged, a bar inside changes it', () => {
    const picks = all.samples.filter((_, j) => j % 97 === 0);
    expect(picks.length).toBeGreaterThan(20);
    for (const [n, s] of picks.entries()) {
      // A window around the sample (its label needs bars i..i+H only), with 300 bars after the horizon.
      const full = april[s.symbol];
      const at = full.findIndex((b) => b.closeTime + 1 === s.time);
      const k = full.slice(at - 10, at + H + 301);
      const i = 10;
      expect(find(labels({ [s.symbol]: k }), s.symbol, s.time)!.label).toBe(s.label);
      const rnd = noise(n + 1);
      const after = k.map((b, j) => (j > i + H ? perturb(b, rnd()) : b));
      expect(find(labels({ [s.symbol]: after }), s.symbol, s.time)!.label).toBe(s.label);
      expect(find(labels({ [s.symbol]: k.slice(0, i + H + 1) }), s.symbol, s.time)!.label).toBe(s.label);
      // Inside the horizon: the entry bar for forward returns; for barriers (whose label is
      // piecewise constant in the prices) the first bar after entry, opening 10 % lower.
      const e = k[i].close;
      const inside = kind === 'forward'
        ? k.map((b, j) => (j === i ? perturb(b, 1.003) : b))
        : k.map((b, j) => (j === i + 1 ? { ...b, open: e * 0.9, high: e * 0.9, low: e * 0.89, close: e * 0.9 } : b));
      expect(find(labels({ [s.symbol]: inside }), s.symbol, s.time)!.label).not.toBe(s.label);
      if (kind === 'forward') {
        const last = k.map((b, j) => (j === i + H ? perturb(b, 1.003) : b));
        expect(find(labels({ [s.symbol]: last }), s.symbol, s.time)!.label).not.toBe(s.label);
      }
    }
  });

  it('drop samples whose horizon crosses a gap (the 2023-03-24 trading halt) or the end of the data', () => {
    const day = realKlines(['BTCUSDT'], Date.UTC(2023, 2, 24), Date.UTC(2023, 2, 25));
    const r = every15(day); // samples at :00, :15, :30, :45
    expect(r.dropped).toEqual({ gap: 4, 'end-of-data': 4 });
    const t = (hhmm: string) => Date.parse(`2023-03-24T${hhmm}:00Z`);
    const times = r.samples.map((s) => s.time);
    expect(times).toContain(t('11:30'));
    expect(times.filter((x) => x > t('11:30') && x < t('14:15'))).toEqual([]);
    expect(times).toContain(t('14:15'));
    expect(times[times.length - 1]).toBe(t('23:00'));
  });
});

describe('barrier exits', () => {
  const t0 = Date.UTC(2023, 3, 1);
  const run = (bars: Kline[]) => barrierLabels({ X: bars }, { takeProfitPct: 1, stopLossPct: 1, maxBars: 3, every: 1, intervalMs: MIN }).samples[0].label;
  const entry = bar(t0, 100, 100, 100, 100);
  it('take the stop when stop and target are touched in the same bar', () => {
    expect(run([entry, bar(t0 + MIN, 100, 102, 98, 100), bar(t0 + 2 * MIN, 100, 100, 100, 100), bar(t0 + 3 * MIN, 100, 100, 100, 100)])).toBeCloseTo(-0.01, 12);
  });
  it('exit at the open when a bar opens beyond a barrier, at the target when touched, else at the time limit', () => {
    expect(run([entry, bar(t0 + MIN, 97, 97, 96, 96), bar(t0 + 2 * MIN, 96, 96, 96, 96), bar(t0 + 3 * MIN, 96, 96, 96, 96)])).toBeCloseTo(-0.03, 12);
    expect(run([entry, bar(t0 + MIN, 100, 100.5, 99.5, 100), bar(t0 + 2 * MIN, 100, 101.2, 99.5, 101), bar(t0 + 3 * MIN, 90, 90, 90, 90)])).toBeCloseTo(0.01, 12);
    expect(run([entry, bar(t0 + MIN, 100, 100.5, 99.5, 100), bar(t0 + 2 * MIN, 100, 100.5, 99.5, 100), bar(t0 + 3 * MIN, 100, 100.5, 99.5, 100.4)])).toBeCloseTo(0.004, 12);
  });
});

describe('trade labels', () => {
  it('label each trade with its realised pnl at its entry time', () => {
    const trades = readValidTrades(SIMULATED_FILE).slice(0, 50);
    const samples = tradeLabels(trades);
    expect(samples).toHaveLength(50);
    const first = trades.reduce((a, b) => (b.entry_time_ms < a.entry_time_ms ? b : a));
    expect(samples[0]).toEqual<Sample>({ symbol: first.symbol, time: first.entry_time_ms, label: first.pnl_pct / 100, kind: 'trade', horizonMs: first.exit_time_ms - first.entry_time_ms });
  });
});
