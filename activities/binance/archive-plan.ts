// Which kline archives (data.binance.vision layout) cover what a backfill still needs: a monthly
// archive for each whole past month needed, daily archives for the other past days, and REST for
// today (not archived yet). Pure arithmetic on open-time ranges.
import { clipRanges, type Range } from './ranges';

export type ArchiveKind = 'monthly' | 'daily';

export interface ArchiveUnit {
  kind: ArchiveKind;
  /** YYYY-MM or YYYY-MM-DD. */
  period: string;
  /** Open-time span of the file: [start, end). */
  start: number;
  end: number;
  /** The parts of it the backfill needs (inclusive open-time ranges), sorted. */
  need: Range[];
}

const DAY = 86_400_000;

export const monthStart = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
export const dayStart = (t: number) => Math.floor(t / DAY) * DAY;

export function archiveFileName(symbol: string, interval: string, period: string): string {
  return `${symbol}-${interval}-${period}.zip`;
}

/** Path of an archive below the archive host (data.binance.vision's layout, spot market). */
export function archivePath(symbol: string, interval: string, u: Pick<ArchiveUnit, 'kind' | 'period'>): string {
  return `/data/spot/${u.kind}/klines/${symbol}/${interval}/${archiveFileName(symbol, interval, u.period)}`;
}

function daily(day: number, need: Range[]): ArchiveUnit {
  return { kind: 'daily', period: new Date(day).toISOString().slice(0, 10), start: day, end: day + DAY, need };
}

/**
 * Splits `missing` (inclusive open-time ranges on an interval's grid) into archive units and what
 * only REST can give: everything from the start of `now`'s UTC day on.
 */
export function planArchives(missing: Range[], intervalMs: number, now: number): { units: ArchiveUnit[]; rest: Range[] } {
  const today = dayStart(now);
  const thisMonth = monthStart(now);
  const units: ArchiveUnit[] = [];
  const rest: Range[] = [];
  for (const [a, b] of missing) {
    if (b >= today) rest.push([Math.max(a, today), b]);
    const last = Math.min(b, today - intervalMs);
    for (let m = monthStart(a); m <= last; m = nextMonth(m)) {
      const mEnd = nextMonth(m);
      const need = clipRanges([[a, last]], [m, mEnd - intervalMs]);
      if (need.length === 0) continue;
      if (mEnd <= thisMonth && need[0][0] === m && need[0][1] === mEnd - intervalMs) {
        units.push({ kind: 'monthly', period: new Date(m).toISOString().slice(0, 7), start: m, end: mEnd, need });
        continue;
      }
      for (let d = dayStart(need[0][0]); d <= need[0][1]; d += DAY) units.push(daily(d, clipRanges(need, [d, d + DAY - intervalMs])));
    }
  }
  return { units: mergeUnits(units), rest };
}

/** A monthly archive that could not be used, as the daily archives of the days it was needed for. */
export function dailyUnitsOf(u: ArchiveUnit, intervalMs: number): ArchiveUnit[] {
  const out: ArchiveUnit[] = [];
  for (let d = u.start; d < u.end; d += DAY) {
    const need = u.need.flatMap((r) => clipRanges([r], [d, d + DAY - intervalMs]));
    if (need.length) out.push(daily(d, need));
  }
  return out;
}

/** One unit per file, needs joined (two missing ranges may fall in the same day). */
function mergeUnits(units: ArchiveUnit[]): ArchiveUnit[] {
  const byFile = new Map<string, ArchiveUnit>();
  for (const u of units) {
    const key = `${u.kind}:${u.period}`;
    const seen = byFile.get(key);
    if (seen) seen.need.push(...u.need);
    else byFile.set(key, { ...u, need: [...u.need] });
  }
  return [...byFile.values()].sort((x, y) => x.start - y.start || (x.kind === 'monthly' ? -1 : 1));
}
