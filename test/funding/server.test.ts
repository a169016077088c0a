// GET /fapi/v1/fundingRate on the local Binance-compatible server: SIMULATED rates derived from
// the shipped spot klines (marked in a header), with Binance's request rules and limit.
import { describe, expect, it } from 'vitest';
import { deriveFundingRates, FUNDING_INTERVAL_MS } from '../../stack/binance-server/funding';
import { csvKlines, getJson, useBinanceServer } from '../binance/support';

const binance = useBinanceServer();
const t = (s: string) => Date.parse(s);
const url = (q: string) => `${binance.server.url}/fapi/v1/fundingRate?${q}`;

describe('the simulated funding rate history', () => {
  it('follows the formula: 8-hourly, the spot trend of the 8 hours before, Binance\'s clamp around 0.01 %', () => {
    const bars = csvKlines('BTCUSDT');
    const recs = deriveFundingRates('BTCUSDT', bars);
    const april = recs.filter((r) => r.fundingTime >= t('2023-04-01') && r.fundingTime < t('2023-05-01'));
    expect(april).toHaveLength(90);
    expect(april.every((r) => r.fundingTime % FUNDING_INTERVAL_MS === 0)).toBe(true);
    // Recompute one by hand: 2023-04-10T16:00Z uses the bars of 08:00–15:59.
    const T = t('2023-04-10T16:00Z');
    const win = bars.filter((b) => b.openTime >= T - FUNDING_INTERVAL_MS && b.openTime < T);
    const premium = 0.002 * Math.tanh(Math.log(win[win.length - 1].close / win[0].open) / 0.03);
    const rate = premium + Math.min(0.0005, Math.max(-0.0005, 0.0001 - premium));
    const rec = recs.find((r) => r.fundingTime === T)!;
    expect(Number(rec.fundingRate)).toBeCloseTo(rate, 8);
    expect(Number(rec.markPrice)).toBe(win[win.length - 1].close);
    // Mostly Binance's flat 0.01 %, with trend-driven departures both ways.
    const rates = april.map((r) => Number(r.fundingRate));
    expect(rates.filter((r) => r === 0.0001).length).toBeGreaterThan(30);
    expect(Math.max(...rates)).toBeGreaterThan(0.0001);
    expect(Math.min(...rates)).toBeLessThan(0.0001);
    expect(rates.every((r) => Math.abs(r) < 0.003)).toBe(true);
    // No record where the data has no bar in the hour before T: none in the span the data does not cover.
    const gapped = recs.filter((r) => r.fundingTime > t('2023-01-28T18:39Z') && r.fundingTime < t('2023-03-16T22:15Z'));
    expect(gapped).toEqual([]);
  });

  it('answers like Binance: ascending pages from startTime, endTime inclusive, the latest records by default, marked simulated', async () => {
    const all = deriveFundingRates('ETHUSDT', csvKlines('ETHUSDT'));
    const a = await getJson(url(`symbol=ETHUSDT&startTime=${t('2023-04-01')}&endTime=${t('2023-04-03T00:00Z')}`));
    expect(a.status).toBe(200);
    expect(a.headers.get('x-trainflow-simulated')).toMatch(/derived from spot klines/);
    expect(a.body.map((r: { fundingTime: number }) => new Date(r.fundingTime).toISOString())).toEqual([
      '2023-04-01T00:00:00.000Z', '2023-04-01T08:00:00.000Z', '2023-04-01T16:00:00.000Z',
      '2023-04-02T00:00:00.000Z', '2023-04-02T08:00:00.000Z', '2023-04-02T16:00:00.000Z', '2023-04-03T00:00:00.000Z',
    ]);
    expect(Object.keys(a.body[0])).toEqual(['symbol', 'fundingRate', 'fundingTime', 'markPrice']);
    expect(a.body[0].fundingRate).toMatch(/^-?\d\.\d{8}$/);
    const limited = await getJson(url(`symbol=ETHUSDT&startTime=${t('2023-04-01')}&limit=2`));
    expect(limited.body).toEqual(a.body.slice(0, 2));
    const latest = await getJson(url('symbol=ETHUSDT'));
    expect(latest.body).toEqual(all.slice(-100));
    const beforeEnd = await getJson(url(`symbol=ETHUSDT&endTime=${t('2023-04-03T00:00Z')}&limit=3`));
    expect(beforeEnd.body).toEqual(a.body.slice(-3));
  });

  it('refuses bad requests with Binance\'s codes and limits requests to 500 per 5 minutes', async () => {
    expect((await getJson(url(''))).body).toEqual({ code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
    expect((await getJson(url('symbol=DOGEUSDT'))).body.code).toBe(-1121);
    expect((await getJson(url('symbol=BTCUSDT&limit=1001'))).body.code).toBe(-1130);
    expect((await getJson(url('symbol=BTCUSDT&startTime=2&endTime=1'))).body.code).toBe(-1023);
    expect((await getJson(url('symbol=BTCUSDT&interval=1m'))).body.code).toBe(-1104);
    // Windows are aligned to the clock (as Binance's are): one may end during the loop and
    // reset the count, so the loop can go on for a whole second window.
    let limited;
    for (let i = 0; i < 1001 && !limited; i++) {
      const r = await fetch(url('symbol=BTCUSDT&limit=1'));
      await r.text();
      if (r.status === 429) limited = r;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    binance.server.resetLimits();
    expect((await getJson(url('symbol=BTCUSDT&limit=1'))).status).toBe(200);
  });
});
