// Which features to compute and with which periods (the `features:` block of a pipeline), the
// column names they produce, and how many bars of history they need (the warm-up).
import { InvalidInputError } from '../errors';

export interface FeatureConfig {
  rsi?: { period?: number } | false;
  macd?: { fast?: number; slow?: number; signal?: number; relative?: boolean } | false;
  bollinger?: { period?: number; stdDev?: number } | false;
  volatility?: { period?: number } | false;
  atr?: { period?: number; relative?: boolean } | false;
  returns?: { periods?: number[] } | false;
  volumeZ?: { period?: number } | false;
  calendar?: boolean;
}

/** Every feature group either null (off) or with all its parameters filled in. */
export interface ResolvedFeatureConfig {
  rsi: { period: number } | null;
  /** relative: divided by the bar's close, so symbols of any price level are comparable. */
  macd: { fast: number; slow: number; signal: number; relative: boolean } | null;
  bollinger: { period: number; stdDev: number } | null;
  volatility: { period: number } | null;
  atr: { period: number; relative: boolean } | null;
  returns: { periods: number[] } | null;
  volumeZ: { period: number } | null;
  calendar: boolean;
}

export const DEFAULT_FEATURES: ResolvedFeatureConfig = {
  rsi: { period: 14 },
  macd: { fast: 12, slow: 26, signal: 9, relative: false },
  bollinger: { period: 20, stdDev: 2 },
  volatility: { period: 20 },
  atr: { period: 14, relative: false },
  returns: { periods: [1, 5, 15, 60] },
  volumeZ: { period: 20 },
  calendar: true,
};

const GROUPS = ['rsi', 'macd', 'bollinger', 'volatility', 'atr', 'returns', 'volumeZ', 'calendar'] as const;

/**
 * No `features` block → every default. A block → only the groups it names (`rsi: {}` takes the
 * default period); `false` turns a group off explicitly.
 */
export function resolveFeatureConfig(cfg?: FeatureConfig | null): ResolvedFeatureConfig {
  if (!cfg) return structuredClone(DEFAULT_FEATURES);
  for (const key of Object.keys(cfg)) {
    if (!(GROUPS as readonly string[]).includes(key)) throw new InvalidInputError(`unknown feature '${key}' (known: ${GROUPS.join(', ')})`);
  }
  const pick = <K extends keyof FeatureConfig>(k: K) => (cfg[k] === undefined || cfg[k] === false ? null : (cfg[k] as object));
  const D = DEFAULT_FEATURES;
  const rsi = pick('rsi') as FeatureConfig['rsi'];
  const macd = pick('macd') as FeatureConfig['macd'];
  const bb = pick('bollinger') as FeatureConfig['bollinger'];
  const vol = pick('volatility') as FeatureConfig['volatility'];
  const atr = pick('atr') as FeatureConfig['atr'];
  const ret = pick('returns') as FeatureConfig['returns'];
  const vz = pick('volumeZ') as FeatureConfig['volumeZ'];
  const r: ResolvedFeatureConfig = {
    rsi: rsi ? { period: rsi.period ?? D.rsi!.period } : null,
    macd: macd ? { fast: macd.fast ?? D.macd!.fast, slow: macd.slow ?? D.macd!.slow, signal: macd.signal ?? D.macd!.signal, relative: macd.relative === true } : null,
    bollinger: bb ? { period: bb.period ?? D.bollinger!.period, stdDev: bb.stdDev ?? D.bollinger!.stdDev } : null,
    volatility: vol ? { period: vol.period ?? D.volatility!.period } : null,
    atr: atr ? { period: atr.period ?? D.atr!.period, relative: atr.relative === true } : null,
    returns: ret ? { periods: [...(ret.periods ?? D.returns!.periods)] } : null,
    volumeZ: vz ? { period: vz.period ?? D.volumeZ!.period } : null,
    calendar: cfg.calendar === true,
  };
  validate(r);
  return r;
}

function validate(r: ResolvedFeatureConfig): void {
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new InvalidInputError(`features.${name} must be an integer ≥ ${min}, got ${v}`);
  };
  if (r.rsi) int('rsi.period', r.rsi.period, 1);
  if (r.macd) {
    int('macd.fast', r.macd.fast, 1);
    int('macd.slow', r.macd.slow, 2);
    int('macd.signal', r.macd.signal, 1);
    if (r.macd.fast >= r.macd.slow) throw new InvalidInputError(`features.macd.fast (${r.macd.fast}) must be < slow (${r.macd.slow})`);
  }
  if (r.bollinger) {
    int('bollinger.period', r.bollinger.period, 2);
    if (!(r.bollinger.stdDev > 0)) throw new InvalidInputError(`features.bollinger.stdDev must be > 0`);
  }
  if (r.volatility) int('volatility.period', r.volatility.period, 2);
  if (r.atr) int('atr.period', r.atr.period, 1);
  if (r.returns) {
    if (r.returns.periods.length === 0) throw new InvalidInputError('features.returns.periods is empty');
    r.returns.periods.forEach((p) => int('returns.periods[]', p, 1));
    if (new Set(r.returns.periods).size !== r.returns.periods.length) throw new InvalidInputError('features.returns.periods has duplicates');
  }
  if (r.volumeZ) int('volumeZ.period', r.volumeZ.period, 2);
  if (featureNames(r).length === 0) throw new InvalidInputError('no features configured');
}

/** Column names, in column order. Parameters are part of the name so two configs never collide. */
export function featureNames(r: ResolvedFeatureConfig): string[] {
  const n: string[] = [];
  if (r.rsi) n.push(`rsi_${r.rsi.period}`);
  if (r.macd) n.push(...macdColumnNames(r.macd));
  if (r.bollinger) {
    const p = `${r.bollinger.period}_${r.bollinger.stdDev}`;
    n.push(`bb_pctb_${p}`, `bb_width_${p}`);
  }
  if (r.volatility) n.push(`volatility_${r.volatility.period}`);
  if (r.atr) n.push(atrColumnName(r.atr));
  if (r.returns) for (const p of r.returns.periods) n.push(`ret_${p}`);
  if (r.volumeZ) n.push(`volume_z_${r.volumeZ.period}`);
  if (r.calendar) n.push('hour_sin', 'hour_cos', 'dow_sin', 'dow_cos');
  return n;
}

/** MACD line, signal, histogram columns; `_rel` when divided by the close (unit-free). */
export function macdColumnNames(m: NonNullable<ResolvedFeatureConfig['macd']>): [string, string, string] {
  const p = `${m.relative ? 'rel_' : ''}${m.fast}_${m.slow}_${m.signal}`;
  return [`macd_${p}`, `macd_signal_${p}`, `macd_hist_${p}`];
}

export function atrColumnName(a: NonNullable<ResolvedFeatureConfig['atr']>): string {
  return `atr_${a.relative ? 'rel_' : ''}${a.period}`;
}

/**
 * Closed bars (the sample's last closed bar included) each feature needs before it is defined;
 * the warm-up is the largest. Derived from how each indicator is seeded:
 *  - RSI(p): p price changes → p+1 bars.    - MACD(f,s,g): slow EMA at bar s, signal EMA of g MACD values → s+g−1.
 *  - Bollinger(p): p closes.                - volatility(p): p log returns → p+1.
 *  - ATR(p): true range needs the previous close, then p of them → p+1.
 *  - return over k bars: k+1 closes.        - volume z-score(p): p volumes.   - calendar: 0.
 */
export function warmupByFeatureGroup(r: ResolvedFeatureConfig): Record<string, number> {
  const w: Record<string, number> = {};
  if (r.rsi) w.rsi = r.rsi.period + 1;
  if (r.macd) w.macd = r.macd.slow + r.macd.signal - 1;
  if (r.bollinger) w.bollinger = r.bollinger.period;
  if (r.volatility) w.volatility = r.volatility.period + 1;
  if (r.atr) w.atr = r.atr.period + 1;
  if (r.returns) w.returns = Math.max(...r.returns.periods) + 1;
  if (r.volumeZ) w.volumeZ = r.volumeZ.period;
  if (r.calendar) w.calendar = 0;
  return w;
}

export function warmupBars(r: ResolvedFeatureConfig): number {
  return Math.max(1, ...Object.values(warmupByFeatureGroup(r)));
}

/** Weight below which a recursive indicator has forgotten its seed (see settleBars). */
export const SEED_WEIGHT_TOLERANCE = 1e-12;

/**
 * Extra bars read before the warm-up. RSI, ATR and the MACD EMAs are recursive: their value at a
 * bar still carries the weight (1−k)^n of a seed n bars back, so with only the warm-up read, a
 * sample's RSI would depend on where the read started (i.e. on which other samples are in the
 * file). After these bars the seed's weight is below SEED_WEIGHT_TOLERANCE, so a sample's
 * features are the same, to ~1e-12, whatever the first sample. Samples right after a real gap
 * still start from that gap, which is a fixed property of the data.
 */
export function settleBars(r: ResolvedFeatureConfig): number {
  const keep: number[] = [];
  if (r.rsi) keep.push(1 - 1 / r.rsi.period);
  if (r.atr) keep.push(1 - 1 / r.atr.period);
  if (r.macd) keep.push(1 - 2 / (r.macd.fast + 1), 1 - 2 / (r.macd.slow + 1), 1 - 2 / (r.macd.signal + 1));
  let bars = 0;
  for (const d of keep) if (d > 0) bars = Math.max(bars, Math.ceil(Math.log(SEED_WEIGHT_TOLERANCE) / Math.log(d)));
  // MACD's signal EMA is seeded from MACD values that are themselves still settling.
  if (r.macd) bars += r.macd.signal;
  return bars;
}
