// What a fan-out item covers, in a few words, for the Web UI (each activity's summary, e.g.
// `backfill[3] BTCUSDT 2023-04-08..15`) and `client status`. Pure and deterministic.

const MAX_LABEL = 60;
/** Fields that name what an item is about, in the order they are shown. */
const NAME_FIELDS = ['symbol', 'name', 'id', 'day', 'date', 'file', 'key'];

const isDayStart = (iso: string) => /T00:00(:00(\.000)?)?Z$/.test(iso);

/** An ISO date or date-time, shortened: midnight drops its time, seconds and millis go. */
function shortTime(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 946_684_800_000) return shortTime(new Date(v).toISOString());
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  if (isDayStart(v)) return v.slice(0, 10);
  return v.replace(/:\d{2}(\.\d+)?Z$/, 'Z').replace(/(\.\d+)?Z$/, 'Z');
}

/** `2023-04-08..15`, `2023-04-28..05-02`, `2023-12-30..2024-01-02`, or times in full. */
export function rangeLabel(from: unknown, to: unknown): string | undefined {
  const a = shortTime(from);
  const b = shortTime(to);
  if (a === undefined || b === undefined) return undefined;
  if (a.length === 10 && b.length === 10) {
    if (a.slice(0, 8) === b.slice(0, 8)) return `${a}..${b.slice(8)}`;
    if (a.slice(0, 5) === b.slice(0, 5)) return `${a}..${b.slice(5)}`;
  }
  // A range ending at 23:59 of a day reads as that day.
  const bDay = /^(\d{4}-\d{2}-\d{2})T23:59Z$/.exec(b)?.[1];
  if (a.length === 10 && bDay) return rangeLabel(a, bDay);
  return `${a}..${b}`;
}

function basename(v: string): string {
  return v.slice(v.lastIndexOf('/') + 1);
}

export function itemLabel(item: unknown): string {
  let label: string;
  if (item === null || item === undefined) label = '';
  else if (typeof item !== 'object') label = String(item);
  else if (Array.isArray(item)) label = item.slice(0, 4).map((x) => (typeof x === 'object' ? '…' : String(x))).join(',') + (item.length > 4 ? ',…' : '');
  else {
    const o = item as Record<string, unknown>;
    const parts: string[] = [];
    for (const f of NAME_FIELDS) {
      const v = Object.prototype.hasOwnProperty.call(o, f) ? o[f] : undefined;
      if (typeof v === 'string' || typeof v === 'number') parts.push(f === 'file' ? basename(String(v)) : String(v));
    }
    const range = rangeLabel(o.from, o.to) ?? rangeLabel(o.start, o.end);
    if (range) parts.push(range);
    label = parts.join(' ');
  }
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}
