// Builds a dataset symbol by symbol: for each symbol, the feature columns are computed once over
// its bars, then every sample of that symbol is looked up in them. Pure (no I/O); the activity
// feeds it bars from the store, tests and the benchmark feed it bars from files.
import type { Kline } from '../binance/kline';
import { computeBarFeatures, FeatureWorkspace } from './compute-features';
import type { Dataset, KlineRange } from './dataset';
import { DATASET_FORMAT } from './dataset';
import { featureNames, settleBars, warmupBars, type ResolvedFeatureConfig } from './feature-config';
import { toKlineSeries, type KlineSeries } from './kline-series';
import { lookupSamples, type SampleRef } from './lookup';
import { RowSink } from './row-sink';
import { ValidityCollector } from './validity';

export class DatasetBuilder {
  readonly featureNames: string[];
  readonly warmupBars: number;
  readonly settleBars: number;
  readonly klineRanges: KlineRange[] = [];
  private readonly sink: RowSink;
  private readonly validity: ValidityCollector;
  private readonly symbols = new Set<string>();
  /** Reused by every series: the feature columns live here until the lookups have copied them. */
  private readonly workspace = new FeatureWorkspace();

  constructor(
    readonly config: ResolvedFeatureConfig,
    readonly interval: string,
    readonly intervalMs: number,
    examplesLimit = 20,
  ) {
    this.featureNames = featureNames(config);
    this.warmupBars = warmupBars(config);
    this.settleBars = settleBars(config);
    this.sink = new RowSink(this.featureNames);
    this.validity = new ValidityCollector(examplesLimit);
  }

  /**
   * Open-time range [from, to] of the bars the samples need: warm-up + settle bars up to the
   * first sample's last closed bar, through the last sample's last closed bar.
   */
  klineRangeFor(samples: readonly SampleRef[]): { fromMs: number; toMs: number } {
    let first = Infinity;
    let last = -Infinity;
    for (const s of samples) {
      if (s.time < first) first = s.time;
      if (s.time > last) last = s.time;
    }
    const iv = this.intervalMs;
    const lastClosedOpen = (t: number) => Math.floor((t - iv) / iv) * iv;
    return { fromMs: lastClosedOpen(first) - (this.warmupBars + this.settleBars - 1) * iv, toMs: lastClosedOpen(last) };
  }

  /** Adds one symbol's samples, given (at least) that symbol's bars over `klineRangeFor(samples)`. */
  addSymbol(symbol: string, samples: readonly SampleRef[], klines: readonly Kline[], requested?: { fromMs: number; toMs: number }): void {
    this.addSeries(symbol, samples, klines.length > 0 ? toKlineSeries(klines, this.intervalMs) : null, requested);
  }

  /** Same, from bars already in columns (lets the caller drop its Kline objects first). */
  addSeries(symbol: string, samples: readonly SampleRef[], series: KlineSeries | null, requested?: { fromMs: number; toMs: number }): void {
    this.symbols.add(symbol);
    const bar = series ? computeBarFeatures(series, this.config, this.workspace) : null;
    if (bar && bar.names.some((name, f) => name !== this.featureNames[f])) throw new Error(`bar feature columns ${bar.names} out of step with ${this.featureNames}`);
    if (series) this.recordRange(symbol, series, requested);
    lookupSamples(samples, series, bar, { warmupBars: this.warmupBars, calendar: this.config.calendar }, this.sink, this.validity);
  }

  /** One entry per symbol, covering all its reads. */
  private recordRange(symbol: string, series: KlineSeries, requested?: { fromMs: number; toMs: number }): void {
    const n = series.openTime.length;
    const r = this.klineRanges.find((x) => x.symbol === symbol);
    if (!r) {
      this.klineRanges.push({ symbol, interval: this.interval, fromOpenTime: series.openTime[0], toOpenTime: series.openTime[n - 1], bars: n, runs: series.runs.length, reads: 1, requestedFrom: requested?.fromMs, requestedTo: requested?.toMs });
      return;
    }
    r.fromOpenTime = Math.min(r.fromOpenTime, series.openTime[0]);
    r.toOpenTime = Math.max(r.toOpenTime, series.openTime[n - 1]);
    r.bars += n;
    r.runs = (r.runs ?? 0) + series.runs.length;
    r.reads = (r.reads ?? 1) + 1;
    if (requested) {
      r.requestedFrom = Math.min(r.requestedFrom ?? Infinity, requested.fromMs);
      r.requestedTo = Math.max(r.requestedTo ?? -Infinity, requested.toMs);
    }
  }

  finish(extra: { label?: unknown; samplesFile?: string } = {}): Dataset {
    const validity = this.validity.report();
    const ds = this.sink.finish({
      format: DATASET_FORMAT,
      featureNames: this.featureNames,
      features: this.config,
      interval: this.interval,
      symbols: [...this.symbols].sort(),
      rows: this.sink.rows,
      timeSpan: null,
      label: extra.label ?? null,
      samplesFile: extra.samplesFile,
      klineRanges: this.klineRanges,
      warmupBars: this.warmupBars,
      settleBars: this.settleBars,
      validity,
    });
    if (ds.time.length > 0) ds.meta.timeSpan = { from: ds.time[0], to: ds.time[ds.time.length - 1] };
    return ds;
  }
}
