// Query-string checks for the market-data endpoints, in the order Binance applies them.
import { INTERVAL_MS } from '../../activities/binance/kline';
import { errors, type BinanceError } from './binance-errors';

export const SYMBOL_PATTERN = '^[A-Z0-9-_.]{1,20}$';
const LONG_PATTERN = '^[0-9]{1,20}$';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: BinanceError };
const fail = (error: BinanceError): { ok: false; error: BinanceError } => ({ ok: false, error });

/** Rejects repeated and unknown parameters (Binance: -1101, -1104). */
export function checkParamNames(params: URLSearchParams, known: string[]): BinanceError | undefined {
  const names = [...params.keys()];
  if (new Set(names).size !== names.length) return errors.duplicateParam();
  const read = names.filter((n) => known.includes(n)).length;
  if (read !== names.length) return errors.unreadParams(read, names.length);
  return undefined;
}

function parseLong(params: URLSearchParams, name: string): Checked<number | undefined> {
  const raw = params.get(name);
  if (raw === null || raw === '') return { ok: true, value: undefined };
  if (!/^[0-9]{1,20}$/.test(raw)) return fail(errors.illegalChars(name, LONG_PATTERN));
  return { ok: true, value: Number(raw) };
}

/** timeZone: "0", "8", "-1:00", "05:45"; range [-12:00, +14:00]. Returns the offset in ms. */
export function parseTimeZone(raw: string | null): number | undefined {
  if (raw === null || raw === '') return 0;
  const m = /^([+-]?)(\d{1,2})(?::(\d{2}))?$/.exec(raw);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  const signed = m[1] === '-' ? -minutes : minutes;
  if (Number(m[3] ?? 0) >= 60 || signed < -12 * 60 || signed > 14 * 60) return undefined;
  return signed * 60_000;
}

export interface KlinesParams {
  symbol: string;
  intervalMs: number;
  startTime?: number;
  endTime?: number;
  limit: number;
  tzOffsetMs: number;
}

export function parseKlinesParams(params: URLSearchParams, hasSymbol: (s: string) => boolean): Checked<KlinesParams> {
  const names = checkParamNames(params, ['symbol', 'interval', 'startTime', 'endTime', 'limit', 'timeZone']);
  if (names) return fail(names);
  const symbol = params.get('symbol');
  if (!symbol) return fail(errors.mandatory('symbol'));
  if (!new RegExp(SYMBOL_PATTERN).test(symbol)) return fail(errors.illegalChars('symbol', SYMBOL_PATTERN));
  const interval = params.get('interval');
  if (!interval) return fail(errors.mandatory('interval'));
  const start = parseLong(params, 'startTime');
  if (!start.ok) return start;
  const end = parseLong(params, 'endTime');
  if (!end.ok) return end;
  let limit = 500;
  const rawLimit = params.get('limit');
  if (rawLimit !== null && rawLimit !== '') {
    if (!/^-?[0-9]{1,20}$/.test(rawLimit)) return fail(errors.illegalChars('limit', '^-?[0-9]{1,20}$'));
    limit = Number(rawLimit);
    if (limit < 1 || limit > 1000) return fail(errors.invalidParam('limit'));
  }
  const tzOffsetMs = parseTimeZone(params.get('timeZone'));
  if (tzOffsetMs === undefined) return fail(errors.invalidParam('timeZone'));
  if (!hasSymbol(symbol)) return fail(errors.badSymbol());
  const intervalMs = INTERVAL_MS[interval];
  if (!intervalMs) return fail(errors.badInterval());
  if (start.value !== undefined && end.value !== undefined && start.value > end.value) return fail(errors.startAfterEnd());
  return { ok: true, value: { symbol, intervalMs, startTime: start.value, endTime: end.value, limit, tzOffsetMs } };
}
