// A Binance kline (candlestick). Field order and meaning follow GET /api/v3/klines rows:
// [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades,
//  takerBuyBase, takerBuyQuote, ignore]. Numbers here, strings on the wire.
export interface Kline {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closeTime: number;
  quoteVolume: number;
  trades: number;
  takerBuyBase: number;
  takerBuyQuote: number;
}

// No prototype: intervals come from pipelines, and 'constructor' must not look like one.
export const INTERVAL_MS: Record<string, number> = Object.assign(Object.create(null), {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
});
