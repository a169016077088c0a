// The weight budget when another client on the same IP spends weight too: Trainflow sees it only
// in X-MBX-USED-WEIGHT-*, and treats that header as the truth. With another client spending half
// the budget (the local server's same-IP client, evenly over each window): zero 429s for anyone,
// no call inside a Retry-After (the server counts those, as Binance does before a 418 ban), and
// still most of what is left is used.
import { describe, expect, it } from 'vitest';
import { createBinanceClient } from '../../activities/binance/client';
import { WeightBudget } from '../../activities/binance/weight-budget';
import type { Kline } from '../../activities/binance/kline';
import { csvRange, t, useBinanceServer } from './support';

const ctx = useBinanceServer();
const WINDOW_MS = 3000;
const LIMIT = 600;

async function pageAll(client: ReturnType<typeof createBinanceClient>, symbol: string, from: number, to: number): Promise<Kline[]> {
  const out: Kline[] = [];
  for await (const page of client.pageKlines(symbol, '1m', from, to, 100)) out.push(...page.klines);
  return out;
}

describe('weight budget shared with another client on the same IP', () => {
  it('another client spends half the budget: zero 429s, no call inside a Retry-After, the rest is used', async () => {
    const server = ctx.server;
    server.setOptions({ weightLimit: LIMIT, weightWindowMs: WINDOW_MS });
    // Load the data first, so the figures below are about the budget, not parsing files.
    for (const s of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']) await fetch(`${server.url}/api/v3/klines?symbol=${s}&interval=1m&limit=1`).then((r) => r.arrayBuffer());
    server.resetLimits();
    server.setOptions({ sameIpWeightPerWindow: LIMIT / 2 });
    server.resetStats();
    const budget = new WeightBudget();
    const ranges: Array<[string, string, string]> = [
      ['BTCUSDT', '2023-04-01T00:00:00Z', '2023-04-05T23:59:00Z'],
      ['ETHUSDT', '2023-04-01T00:00:00Z', '2023-04-05T23:59:00Z'],
      ['SOLUSDT', '2023-04-01T00:00:00Z', '2023-04-05T23:59:00Z'],
      ['XRPUSDT', '2023-04-01T00:00:00Z', '2023-04-05T23:59:00Z'],
    ];
    const started = Date.now();
    const clients = ranges.map(() => createBinanceClient({ baseUrl: server.url, budget, timeoutMs: 5000, backoffMs: 10 }));
    let results: Kline[][];
    try {
      results = await Promise.all(ranges.map(([s, a, b], i) => pageAll(clients[i], s, t(a), t(b))));
    } finally {
      server.setOptions({ sameIpWeightPerWindow: 0 });
    }
    const windows = (Date.now() - started) / WINDOW_MS;
    ranges.forEach(([s, a, b], i) => expect(results[i]).toEqual(csvRange(s, t(a), t(b))));
    const stats = { ...server.stats };
    expect(stats.sameIpWeight).toBeGreaterThan(0.4 * LIMIT * Math.floor(windows));
    expect({ ours429: clients.reduce((n, c) => n + c.stats.rateLimited, 0), all429: stats.status429, otherRefused: stats.sameIpRefused, violations: stats.retryAfterViolations, bans: stats.status418 })
      .toEqual({ ours429: 0, all429: 0, otherRefused: 0, violations: 0, bans: 0 });
    // Not by being timid: over the run, our weight per window is most of what the other client leaves.
    const perWindow = stats.weight / windows;
    console.log(`shared IP: ${windows.toFixed(1)} windows, ours ${perWindow.toFixed(0)}/window, other ${(stats.sameIpWeight / windows).toFixed(0)}/window, limit ${LIMIT}`);
    expect(perWindow).toBeGreaterThan(0.25 * (LIMIT / 2));
  }, 90_000);
});
