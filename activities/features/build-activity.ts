// The features.build activity: samples file + stored klines → dataset file. Per symbol it asks
// the kline store for [first sample − warm-up, last sample], optionally backfills what is
// missing, computes the features once over those bars and looks every sample up in them.
import type { ActivityContext, ActivityFn } from '../context';
import { InvalidInputError, NonRetryableError } from '../errors';
import { INTERVAL_MS, type Kline } from '../binance/kline';
import type { KlineColumns } from '../binance/kline-codec';
import { DatasetBuilder } from './dataset-builder';
import { writeDataset } from './dataset';
import { resolveFeatureConfig, type FeatureConfig } from './feature-config';
import { klineSeriesFromColumns, toKlineSeries, type KlineSeries } from './kline-series';
import { planReads } from './read-plan';
import type { SampleRef } from './lookup';
import { readSamplesInput, type SamplesInput } from './samples-input';

export interface FeaturesBuildInput {
  samplesFile: string;
  interval: string;
  features?: FeatureConfig;
  backfillMissing?: boolean;
  /** How many dropped samples to list in the validity report (default 20). */
  examplesLimit?: number;
}

/** Bars per kline read (≈ 50 MB of columns and features); longer sample spans are read in parts. */
export const MAX_BARS_PER_READ = 250_000;

export interface FeaturesBuildOutput {
  datasetFile: string;
  metaFile: string;
  hash: string;
  rows: number;
  features: string[];
  warmupBars: number;
  settleBars: number;
  validity: { in: number; out: number; dropped: Record<string, number>; validShareWhereCovered: number | null };
}

export interface KlineSource {
  /** Bars with open time in [fromMs, toMs]. */
  range(symbol: string, interval: string, fromMs: number, toMs: number): Promise<Kline[]>;
  /** The same bars as columns, no object per bar (KlineStore has it; preferred when present). */
  rangeColumns?(symbol: string, interval: string, fromMs: number, toMs: number): Promise<KlineColumns>;
  /** What a backfill must fetch (neither stored nor a known exchange gap); KlineStore has it. */
  coverage?(symbol: string, interval: string, fromMs: number, toMs: number): Promise<{ missing: Array<[number, number]> }>;
}

export type EnsureKlines = (symbol: string, interval: string, fromMs: number, toMs: number, ctx: ActivityContext) => Promise<unknown>;

export interface FeaturesBuildDeps {
  klines: KlineSource;
  dataDir: string;
  /** Fetches missing bars into the store; used only when the input says backfillMissing. */
  ensureKlines?: EnsureKlines;
  readSamples?: (file: string) => Promise<SamplesInput>;
  /** Default MAX_BARS_PER_READ. */
  maxBarsPerRead?: number;
}

export function createFeaturesBuild(deps: FeaturesBuildDeps): ActivityFn<FeaturesBuildInput, FeaturesBuildOutput> {
  return async (input, ctx) => {
    const intervalMs = INTERVAL_MS[input.interval];
    if (!intervalMs) throw new InvalidInputError(`unknown interval '${input.interval}' (known: ${Object.keys(INTERVAL_MS).join(', ')})`);
    const config = resolveFeatureConfig(input.features);
    const { samples, labelDefinition } = await (deps.readSamples ?? readSamplesInput)(input.samplesFile);
    if (samples.length === 0) throw new InvalidInputError(`no samples in ${input.samplesFile}`);

    const builder = new DatasetBuilder(config, input.interval, intervalMs, input.examplesLimit ?? 20);
    const bySymbol = groupBySymbol(samples);
    const lookback = builder.warmupBars + builder.settleBars;
    let done = 0;
    for (const [symbol, samplesOfSymbol] of bySymbol) {
      const reads = planReads(samplesOfSymbol, intervalMs, lookback, deps.maxBarsPerRead ?? MAX_BARS_PER_READ);
      for (const [i, group] of reads.entries()) {
        if (ctx.signal.aborted) throw new NonRetryableError('features.build cancelled', 'Cancelled');
        const range = builder.klineRangeFor(group);
        // Bars come from the store as columns (no object per bar) when it can give them.
        const series = await loadSeries(deps, ctx, symbol, input, range, intervalMs);
        builder.addSeries(symbol, group, series, range);
        ctx.heartbeat({ symbol, read: i + 1, reads: reads.length, symbolsDone: done, symbols: bySymbol.size });
      }
      done++;
    }
    const ds = builder.finish({ label: labelDefinition, samplesFile: input.samplesFile });
    if (ds.y.length === 0) {
      const v = ds.meta.validity!;
      throw new NonRetryableError(`features.build: none of ${v.in} samples is usable: ${JSON.stringify(v.dropped)}`, 'EmptyDataset', v);
    }
    const written = await writeDataset(deps.dataDir, ds);
    const v = ds.meta.validity!;
    ctx.log('features.build: dataset written', { file: written.file, rows: written.rows, in: v.in, dropped: v.dropped });
    return {
      datasetFile: written.file,
      metaFile: written.metaFile,
      hash: written.hash,
      rows: written.rows,
      features: ds.featureNames,
      warmupBars: builder.warmupBars,
      settleBars: builder.settleBars,
      validity: { in: v.in, out: v.out, dropped: v.dropped, validShareWhereCovered: v.validShareWhereCovered },
    };
  };
}

async function loadSeries(
  deps: FeaturesBuildDeps,
  ctx: ActivityContext,
  symbol: string,
  input: FeaturesBuildInput,
  range: { fromMs: number; toMs: number },
  intervalMs: number,
): Promise<KlineSeries | null> {
  const read = async (): Promise<KlineSeries> =>
    deps.klines.rangeColumns
      ? klineSeriesFromColumns(await deps.klines.rangeColumns(symbol, input.interval, range.fromMs, range.toMs), intervalMs)
      : toKlineSeries(await deps.klines.range(symbol, input.interval, range.fromMs, range.toMs), intervalMs);
  const expected = (range.toMs - range.fromMs) / intervalMs + 1;
  let series = await read();
  const have = series.openTime.length;
  if (have < expected && input.backfillMissing && (await backfillNeeded(deps, ctx, symbol, input, range, have, expected))) {
    ctx.log('features.build: backfilling missing bars', { symbol, have, expected });
    await deps.ensureKlines!(symbol, input.interval, range.fromMs, range.toMs, ctx);
    series = await read();
  }
  return series.openTime.length > 0 ? series : null;
}

async function backfillNeeded(
  deps: FeaturesBuildDeps,
  ctx: ActivityContext,
  symbol: string,
  input: FeaturesBuildInput,
  range: { fromMs: number; toMs: number },
  have: number,
  expected: number,
): Promise<boolean> {
  // Bars the exchange never had (recorded gaps, e.g. a halt) cannot be backfilled: don't ask.
  const missing = deps.klines.coverage ? (await deps.klines.coverage(symbol, input.interval, range.fromMs, range.toMs)).missing : null;
  if (missing && missing.length === 0) return false;
  if (!deps.ensureKlines) {
    ctx.log('features.build: bars missing and no backfill wired; affected samples will be dropped with a reason', { symbol, have, expected });
    return false;
  }
  return true;
}

function groupBySymbol(samples: readonly SampleRef[]): Map<string, SampleRef[]> {
  const m = new Map<string, SampleRef[]>();
  for (const s of samples) {
    let g = m.get(s.symbol);
    if (!g) m.set(s.symbol, (g = []));
    g.push(s);
  }
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
}
