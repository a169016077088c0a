import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import { tradeToFields, type Trade } from '../../activities/trades/trade';

let n = 0;
export function makeTrade(over: Partial<Trade> = {}): Trade {
  n++;
  return {
    id: `t${n}`,
    symbol: 'BTCUSDT',
    side: 'long',
    entry_time_ms: Date.UTC(2023, 3, 10, 12),
    exit_time_ms: Date.UTC(2023, 3, 10, 13),
    entry_price: 28000.5,
    exit_price: 28100.25,
    pnl_pct: 0.1562,
    source: 'test-bot',
    simulated: false,
    ...over,
  };
}

export async function xaddTrade(redis: Redis, stream: string, t: Trade, id = '*'): Promise<string> {
  return (await redis.xadd(stream, id, ...tradeToFields(t)))!;
}

export async function xaddRaw(redis: Redis, stream: string, fields: Record<string, string>): Promise<string> {
  return (await redis.xadd(stream, '*', ...Object.entries(fields).flat()))!;
}

export function tmpDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'trainflow-trades-'));
}

let s = 0;
export function freshStream(): string {
  return `trade.closed.test${++s}`;
}

export const utc = (iso: string) => Date.parse(iso);
/** A `now` well after any 2023 day closed. */
export const LATER = () => Date.UTC(2024, 0, 1);
