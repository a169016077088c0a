// Date helpers for dateAdd/dateFormat: UTC only, so results never depend on the host's zone.
import { parseDuration } from '../duration';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function parseIsoDate(value: unknown, fn: string): Date {
  if (typeof value !== 'string') throw new Error(`${fn}() expects an ISO date string, got ${value === null ? 'null' : typeof value}`);
  const isoLike = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
  const date = new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (!isoLike || Number.isNaN(date.getTime())) throw new Error(`${fn}() got an invalid ISO date '${value}'`);
  return date;
}

/** Adds a duration ('1d', '-2h', '90m'); a date-only input moved by whole days stays date-only. */
export function dateAdd(value: unknown, duration: unknown): string {
  const date = parseIsoDate(value, 'dateAdd');
  if (typeof duration !== 'string') throw new Error(`dateAdd() expects a duration string such as '1d', got ${typeof duration}`);
  const parsed = parseDuration(duration.trim(), true);
  if ('error' in parsed) throw new Error(`dateAdd(): ${parsed.error}`);
  const result = new Date(date.getTime() + parsed.ms);
  if (DATE_ONLY.test(value as string) && parsed.ms % 86_400_000 === 0) return result.toISOString().slice(0, 10);
  return result.toISOString();
}

/** Formats in UTC with the tokens YYYY MM DD HH mm ss SSS. */
export function dateFormat(value: unknown, format: unknown): string {
  const date = parseIsoDate(value, 'dateFormat');
  if (typeof format !== 'string') throw new Error('dateFormat() expects a format string');
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const tokens: Record<string, string> = {
    YYYY: pad(date.getUTCFullYear(), 4),
    MM: pad(date.getUTCMonth() + 1),
    DD: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
    SSS: pad(date.getUTCMilliseconds(), 3),
  };
  return format.replace(/YYYY|SSS|MM|DD|HH|mm|ss/g, (t) => tokens[t]);
}
