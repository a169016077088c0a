// Splits one symbol's samples into groups that each need one kline read: a new group starts when
// the next sample is more than `minSkipBars` (and the look-back) past the previous one (the bars
// between are not needed: sparse samples such as trades do not read months of bars), or when
// the group would span more than `maxBarsPerRead` bars (memory stays bounded for years of 1m
// bars). `minSkipBars` keeps dense-ish samples in one read rather than thousands of tiny ones.
// The settle bars make a sample's features independent of where its group's read starts.
import type { SampleRef } from './lookup';

export function planReads<S extends SampleRef>(samples: readonly S[], intervalMs: number, lookbackBars: number, maxBarsPerRead: number, minSkipBars = 10_000): S[][] {
  const skip = Math.max(lookbackBars, minSkipBars);
  const sorted = [...samples].sort((a, b) => a.time - b.time);
  const groups: S[][] = [];
  let group: S[] = [];
  for (const s of sorted) {
    if (group.length > 0) {
      const sinceFirst = (s.time - group[0].time) / intervalMs;
      const sincePrev = (s.time - group[group.length - 1].time) / intervalMs;
      if (sincePrev > skip || sinceFirst + lookbackBars > maxBarsPerRead) {
        groups.push(group);
        group = [];
      }
    }
    group.push(s);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
