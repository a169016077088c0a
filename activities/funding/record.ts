// A funding rate as GET /fapi/v1/fundingRate returns it, checked, and as the store keeps it.
import { NonRetryableError } from '../errors';

export interface FundingRate {
  /** Settlement time, epoch ms. */
  time: number;
  /** Rate per funding interval (0.0001 = 0.01 %). */
  rate: number;
  markPrice: number;
}

const DECIMAL = /^-?\d{1,20}(\.\d{1,20})?$/;

/** Checks one answer page: an array of {symbol, fundingRate, fundingTime, markPrice}, ascending. */
export function parseFundingRows(data: unknown, symbol: string, what: string): FundingRate[] {
  const bad = (msg: string) => new NonRetryableError(`${what}: ${msg}`, 'BinanceBadAnswer');
  if (!Array.isArray(data)) throw bad(`expected an array, got ${typeof data}`);
  let prev = -Infinity;
  return data.map((row, i) => {
    const r = row as Record<string, unknown>;
    if (!r || typeof r !== 'object') throw bad(`row ${i} is not an object`);
    if (r.symbol !== symbol) throw bad(`row ${i} is for ${JSON.stringify(r.symbol)}, not ${symbol}`);
    if (typeof r.fundingTime !== 'number' || !Number.isSafeInteger(r.fundingTime) || r.fundingTime <= prev) {
      throw bad(`row ${i}: fundingTime ${JSON.stringify(r.fundingTime)} is not an increasing integer`);
    }
    if (typeof r.fundingRate !== 'string' || !DECIMAL.test(r.fundingRate)) throw bad(`row ${i}: fundingRate ${JSON.stringify(r.fundingRate)} is not a decimal`);
    // Binance sends "" as the mark price of some old records.
    if (typeof r.markPrice !== 'string' || (r.markPrice !== '' && !DECIMAL.test(r.markPrice))) throw bad(`row ${i}: markPrice ${JSON.stringify(r.markPrice)} is not a decimal`);
    prev = r.fundingTime;
    return { time: r.fundingTime, rate: Number(r.fundingRate), markPrice: r.markPrice === '' ? NaN : Number(r.markPrice) };
  });
}
