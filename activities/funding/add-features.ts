// funding.addFeatures: a dataset (features.build's Arrow file) plus funding rates from the
// funding store → a new dataset with two more feature columns, `funding_rate` and
// `funding_rate_mean_N` (join.ts), named by its content hash like every dataset. Rows without a
// recent enough funding history are dropped and counted in the validity report; the metadata
// records the source and whether it was simulated.
import { existsSync } from 'node:fs';
import type Redis from 'ioredis';
import { readDataset, writeDataset } from '../features/dataset';
import type { ActivityContext } from '../context';
import { InvalidInputError } from '../errors';
import { joinFunding } from './join';
import type { FundingRate } from './record';
import { FundingStore } from './store';

export interface AddFundingInput {
  datasetFile: string;
  /** Settlements averaged in funding_rate_mean_N (default 3: one day of 8-hourly rates). */
  window?: number;
  /** Oldest settlement a row may use, in hours (default 24). */
  maxAgeHours?: number;
}

export async function addFundingFeatures(input: AddFundingInput, ctx: ActivityContext, deps: { redis: Redis; config: { dataDir: string } }) {
  if (!input || typeof input.datasetFile !== 'string' || !input.datasetFile.endsWith('.arrow')) throw new InvalidInputError('datasetFile must be the path of a .arrow dataset');
  if (!existsSync(input.datasetFile)) throw new InvalidInputError(`datasetFile ${input.datasetFile} does not exist`);
  const window = input.window ?? 3;
  if (!Number.isInteger(window) || window < 1 || window > 100) throw new InvalidInputError(`window must be an integer in [1, 100], got ${input.window}`);
  const maxAgeHours = input.maxAgeHours ?? 24;
  if (!(maxAgeHours > 0)) throw new InvalidInputError(`maxAgeHours must be > 0, got ${input.maxAgeHours}`);

  const ds = await readDataset(input.datasetFile);
  const store = new FundingStore(deps.redis);
  const symbols = [...new Set(ds.symbol)].sort();
  let span = ds.meta.timeSpan;
  if (!span) {
    span = { from: Infinity, to: -Infinity };
    for (const t of ds.time) span = { from: Math.min(span.from, t), to: Math.max(span.to, t) };
  }
  const maxAgeMs = maxAgeHours * 3_600_000;
  // Enough history before the first row for the window and the age limit.
  const lookback = Math.max(maxAgeMs, window * 8 * 3_600_000) + 8 * 3_600_000;
  const records = new Map<string, FundingRate[]>();
  const sources = [];
  for (const s of symbols) {
    records.set(s, await store.range(s, span.from - lookback, span.to));
    sources.push({ symbol: s, key: store.key(s), records: records.get(s)!.length, ...(await store.meta(s)) });
  }
  const joined = joinFunding(ds.symbol, ds.time, records, window, maxAgeMs);
  for (const name of joined.names) if (ds.featureNames.includes(name)) throw new InvalidInputError(`${input.datasetFile} already has a '${name}' column`);

  const nf = ds.featureNames.length;
  const kept: number[] = [];
  for (let r = 0; r < ds.y.length; r++) if (joined.keep[r]) kept.push(r);
  const width = nf + joined.names.length;
  const X = new Float64Array(kept.length * width);
  kept.forEach((r, i) => {
    X.set(ds.X.subarray(r * nf, r * nf + nf), i * width);
    X.set(joined.values.subarray(r * 2, r * 2 + 2), i * width + nf);
  });
  const droppedTotal = ds.y.length - kept.length;
  const validity = ds.meta.validity;
  const simulated = sources.some((s) => s.simulated);
  const written = await writeDataset(deps.config.dataDir, {
    featureNames: [...ds.featureNames, ...joined.names],
    X,
    y: Float64Array.from(kept, (r) => ds.y[r]),
    time: Float64Array.from(kept, (r) => ds.time[r]),
    symbol: kept.map((r) => ds.symbol[r]),
    meta: {
      ...ds.meta,
      rows: kept.length,
      timeSpan: kept.length ? { from: ds.time[kept[0]], to: ds.time[kept[kept.length - 1]] } : null,
      ...(validity
        ? { validity: { ...validity, out: kept.length, dropped: { ...validity.dropped, ...Object.fromEntries(Object.entries(joined.dropped).map(([k, v]) => [`funding: ${k}`, v])) } } }
        : {}),
      funding: { baseDataset: input.datasetFile, window, maxAgeHours, simulated, sources, dropped: joined.dropped },
    } as typeof ds.meta,
  });
  const result = {
    datasetFile: written.file,
    metaFile: written.metaFile,
    hash: written.hash,
    rows: written.rows,
    features: [...ds.featureNames, ...joined.names],
    added: joined.names,
    dropped: droppedTotal,
    simulated,
    summary:
      `${joined.names.join(', ')} added to ${ds.y.length} rows (${droppedTotal} dropped: ${JSON.stringify(joined.dropped)})` +
      (simulated ? '; the funding rates are SIMULATED by their source' : ''),
  };
  ctx.log(result.summary);
  return result;
}
