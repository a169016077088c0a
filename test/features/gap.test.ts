// The real BTCUSDT halt: no bars with open time in [2023-03-24T12:40Z, 14:00Z).
import { describe, expect, it } from 'vitest';
import { DatasetBuilder } from '../../activities/features/dataset-builder';
import { resolveFeatureConfig, warmupBars } from '../../activities/features/feature-config';
import type { SampleRef } from '../../activities/features/lookup';
import { DROP } from '../../activities/features/validity';
import { klinesBetween, MINUTE } from './real-klines';

const bars = klinesBetween('BTCUSDT', '2023-03-24T09:00:00Z', '2023-03-24T18:00:00Z');
const at = (iso: string) => Date.parse(iso);

describe('gap handling (real BTCUSDT halt 2023-03-24 12:40–13:59Z)', () => {
  it('the shipped data has that gap', () => {
    const opens = new Set(bars.map((k) => k.openTime));
    expect(opens.has(at('2023-03-24T12:39:00Z'))).toBe(true);
    expect(opens.has(at('2023-03-24T12:40:00Z'))).toBe(false);
    expect(opens.has(at('2023-03-24T13:59:00Z'))).toBe(false);
    expect(opens.has(at('2023-03-24T14:00:00Z'))).toBe(true);
  });

  it('samples whose look-back spans the gap are dropped as "gap inside the warm-up"; samples in it as "no klines"; the rest kept', () => {
    const cfg = resolveFeatureConfig();
    const w = warmupBars(cfg);
    const samples: SampleRef[] = [];
    for (let t = at('2023-03-24T11:00:00Z'); t <= at('2023-03-24T17:00:00Z'); t += MINUTE) samples.push({ symbol: 'BTCUSDT', time: t, label: 0.001 });
    const b = new DatasetBuilder(cfg, '1m', MINUTE);
    b.addSymbol('BTCUSDT', samples, bars);
    const ds = b.finish();
    const kept = new Set(Array.from(ds.time));
    const firstAfterGapOk = at('2023-03-24T14:00:00Z') + w * MINUTE; // w bars 14:00..(14:00+w−1) closed
    const v = ds.meta.validity!;
    for (const s of samples) {
      const expected =
        s.time <= at('2023-03-24T12:40:00Z') ? 'kept' : s.time <= at('2023-03-24T14:00:00Z') ? DROP.noKlines : s.time < firstAfterGapOk ? DROP.gap : 'kept';
      expect({ t: new Date(s.time).toISOString(), r: kept.has(s.time) ? 'kept' : 'dropped' }).toEqual({
        t: new Date(s.time).toISOString(),
        r: expected === 'kept' ? 'kept' : 'dropped',
      });
    }
    expect(v.dropped[DROP.gap]).toBe(w - 1); // 14:01 … 15:00: 1 … w−1 bars since the gap
    expect(v.dropped[DROP.noKlines]).toBe(80); // 12:41 … 14:00
    expect(v.in).toBe(samples.length);
    expect(v.out + Object.values(v.dropped).reduce((a, c) => a + c, 0)).toBe(v.in);
    expect(v.examples[0]).toMatchObject({ symbol: 'BTCUSDT', reason: DROP.noKlines, timeIso: '2023-03-24T12:41:00.000Z' });
  });
});
