// Stage inputs give times as epoch milliseconds or ISO date / date-time strings (UTC unless the
// string has an offset).
import { InvalidInputError } from '../errors';

export function parseTimeInput(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    if (/^\d{1,16}$/.test(value)) return Number(value);
    let s = value.replace(' ', 'T');
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += 'T00:00:00Z';
    else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(s)) s += 'Z';
    const t = Date.parse(s);
    if (/^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(t)) return t;
  }
  throw new InvalidInputError(`${name} must be epoch milliseconds or an ISO date/date-time, got ${JSON.stringify(value)}`);
}
