// A sample's features do not depend on where the kline read started (i.e. on the other samples
// in the file), once warm-up + settle bars are read: recursive indicators forget their seed.
import { describe, expect, it } from 'vitest';
import { DatasetBuilder } from '../../activities/features/dataset-builder';
import { resolveFeatureConfig, settleBars, warmupBars } from '../../activities/features/feature-config';
import { klinesBetween, MINUTE } from './real-klines';

const bars = klinesBetween('BTCUSDT', '2023-04-01T00:00:00Z', '2023-04-04T00:00:00Z');

describe('settle bars', () => {
  it('the minimal read (warm-up + settle) gives the same features as a read 2000 bars longer, to 1e-9', () => {
    const cfg = resolveFeatureConfig();
    const need = warmupBars(cfg) + settleBars(cfg);
    const j = 3000; // the sample's last closed bar
    const sample = { symbol: 'BTCUSDT', time: bars[j].openTime + MINUTE, label: 0 };
    const run = (from: number) => {
      const b = new DatasetBuilder(cfg, '1m', MINUTE);
      b.addSymbol('BTCUSDT', [sample], bars.slice(from, j + 1));
      return b.finish();
    };
    const minimal = run(j + 1 - need);
    const long = run(j + 1 - need - 2000);
    minimal.X.forEach((x, f) => expect(Math.abs(x - long.X[f])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x))));
    // Without the settle bars, RSI visibly depends on the start of the read.
    const warmOnly = run(j + 1 - warmupBars(cfg));
    expect(Math.abs(warmOnly.X[0] - long.X[0])).toBeGreaterThan(1e-3);
  });
});
