// Real shipped klines for tests. Slices are cut from the decompressed text before parsing (and
// parsed by the project's readKlinesCsv), so a test that needs a few days does not parse years.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Kline } from '../../activities/binance/kline';
import { klineFile, readKlinesCsv } from '../../activities/binance/kline-csv';

export const MINUTE = 60_000;

const full = new Map<string, Kline[]>();
const texts = new Map<string, string[]>();

export function realKlines(symbol = 'BTCUSDT'): Kline[] {
  let k = full.get(symbol);
  if (!k) full.set(symbol, (k = readKlinesCsv(klineFile(symbol))));
  return k;
}

/** Bars with open time in [from, to) (ISO strings or ms). */
export function klinesBetween(symbol: string, from: string | number, to: string | number): Kline[] {
  const a = typeof from === 'string' ? Date.parse(from) : from;
  const b = typeof to === 'string' ? Date.parse(to) : to;
  let lines = texts.get(symbol);
  if (!lines) texts.set(symbol, (lines = gunzipSync(readFileSync(klineFile(symbol))).toString('utf8').split('\n')));
  const picked = [lines[0]];
  for (let i = 1; i < lines.length; i++) {
    const t = Number(lines[i].slice(0, lines[i].indexOf(',')));
    if (t >= a && t < b) picked.push(lines[i]);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'klines-slice-'));
  try {
    const file = path.join(dir, `${symbol}-1m.csv`);
    writeFileSync(file, picked.join('\n') + '\n');
    return readKlinesCsv(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
