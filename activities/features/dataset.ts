// The dataset file: an Arrow IPC file that data people open with pyarrow/pandas without our code.
// Columns: symbol (dictionary<utf8>), time (timestamp[ms, UTC]), label (float64), then one float64
// column per feature. The metadata lives twice: in the Arrow schema metadata (key 'trainflow') and
// in `<hash>.meta.json` beside the file. The file is named by the sha256 of its bytes; the metadata
// holds nothing time-dependent, so the same inputs give the same file (a retried stage rewrites
// the same name).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  Dictionary,
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';

export const DATASET_FORMAT = 'trainflow.dataset/v1';
export const SCHEMA_METADATA_KEY = 'trainflow';

export interface DroppedExample {
  symbol: string;
  time: number;
  reason: string;
  timeIso?: string;
}

export interface ValidityReport {
  in: number;
  out: number;
  /** Count per reason, e.g. { 'gap inside the warm-up': 12 }. */
  dropped: Record<string, number>;
  /** The first few dropped samples (see `examplesLimit`). */
  examples: DroppedExample[];
  /** out / in among samples whose warm-up window the store covers (no 'no klines at that time'). */
  validShareWhereCovered: number | null;
}

export interface KlineRange {
  symbol: string;
  interval: string;
  /** Open time of the first and last bar read for this symbol; `bars` sums all reads. */
  fromOpenTime: number;
  toOpenTime: number;
  bars: number;
  /** The open-time range the stage asked the store for (warm-up included). */
  requestedFrom?: number;
  requestedTo?: number;
  /** Contiguous runs of bars (1 = no gap), summed over reads. */
  runs?: number;
  /** Kline reads for this symbol (sparse or very long sample sets are read in parts; bars may overlap). */
  reads?: number;
}

export interface DatasetMeta {
  format: typeof DATASET_FORMAT;
  featureNames: string[];
  /** The resolved feature configuration (every period the values depend on). */
  features?: unknown;
  interval?: string;
  symbols: string[];
  rows: number;
  /** First and last sample time (ms, UTC) in the dataset. */
  timeSpan: { from: number; to: number } | null;
  /** How the label was defined (from the samples file's metadata), opaque here. */
  label?: unknown;
  samplesFile?: string;
  klineRanges?: KlineRange[];
  /** Closed bars a sample needs for every feature to be defined (else 'gap inside the warm-up'). */
  warmupBars?: number;
  /** Extra bars read before the warm-up so recursive indicators forget where the read began. */
  settleBars?: number;
  validity?: ValidityReport;
}

export interface Dataset {
  featureNames: string[];
  /** Row-major: X[r * featureNames.length + f]. */
  X: Float64Array;
  y: Float64Array;
  /** Sample time, ms since epoch (UTC). */
  time: Float64Array;
  symbol: string[];
  meta: DatasetMeta;
}

export interface WrittenDataset {
  file: string;
  metaFile: string;
  hash: string;
  rows: number;
}

const RESERVED = new Set(['symbol', 'time', 'label']);

export function datasetToTable(ds: Dataset): Table {
  const rows = ds.y.length;
  const nf = ds.featureNames.length;
  if (ds.X.length !== rows * nf) throw new Error(`X has ${ds.X.length} values, expected ${rows}×${nf}`);
  if (ds.time.length !== rows || ds.symbol.length !== rows) throw new Error('time/symbol/y lengths differ');
  for (const name of ds.featureNames) if (RESERVED.has(name)) throw new Error(`feature name '${name}' is reserved`);

  const fields: Field[] = [];
  const vectors: Vector[] = [];
  const add = (name: string, v: Vector) => {
    fields.push(new Field(name, v.type, false));
    vectors.push(v);
  };
  // An explicit dictionary id: the default comes from a process-wide counter, which would make
  // the bytes (and so the content hash) depend on how many tables were built before.
  add('symbol', vectorFromArray(ds.symbol, new Dictionary(new Utf8(), new Int32(), 0)));
  const ms = BigInt64Array.from(ds.time, (t) => BigInt(Math.round(t)));
  add('time', makeVector(makeData({ type: new TimestampMillisecond('UTC'), length: rows, data: ms })));
  add('label', makeVector(Float64Array.from(ds.y)));
  for (let f = 0; f < nf; f++) {
    const col = new Float64Array(rows);
    for (let r = 0; r < rows; r++) col[r] = ds.X[r * nf + f];
    add(ds.featureNames[f], makeVector(col));
  }
  const meta = { ...ds.meta, format: DATASET_FORMAT, featureNames: ds.featureNames, rows };
  const schema = new Schema(fields, new Map([[SCHEMA_METADATA_KEY, JSON.stringify(meta)]]));
  const children = vectors.map((v) => {
    if (v.data.length !== 1) throw new Error('expected single-chunk column vectors');
    return v.data[0];
  });
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
  return new Table(schema, [batch]);
}

/** Writes `<dataDir>/datasets/<sha256>.arrow` and `<sha256>.meta.json`. */
export async function writeDataset(dataDir: string, ds: Dataset): Promise<WrittenDataset> {
  const table = datasetToTable(ds);
  const bytes = tableToIPC(table, 'file');
  const hash = createHash('sha256').update(bytes).digest('hex');
  const dir = path.join(dataDir, 'datasets');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${hash}.arrow`);
  const metaFile = path.join(dir, `${hash}.meta.json`);
  const meta = { ...JSON.parse(table.schema.metadata.get(SCHEMA_METADATA_KEY)!), hash, file: path.basename(file) };
  // Write-then-rename so a reader never sees a half-written file under the final name.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  await writeFile(`${metaFile}.${process.pid}.tmp`, JSON.stringify(meta, null, 2) + '\n');
  await rename(`${metaFile}.${process.pid}.tmp`, metaFile);
  return { file, metaFile, hash, rows: ds.y.length };
}

export async function readDataset(file: string): Promise<Dataset> {
  const table = tableFromIPC(await readFile(file));
  const rawMeta = table.schema.metadata.get(SCHEMA_METADATA_KEY);
  if (!rawMeta) throw new Error(`${file}: no '${SCHEMA_METADATA_KEY}' schema metadata; not a Trainflow dataset`);
  const meta = JSON.parse(rawMeta) as DatasetMeta;
  const rows = table.numRows;
  const featureNames = meta.featureNames;
  const nf = featureNames.length;

  const column = (name: string) => {
    const c = table.getChild(name);
    if (!c) throw new Error(`${file}: column '${name}' missing`);
    return c;
  };
  const symbol = column('symbol').toArray() as unknown as string[];
  const time = new Float64Array(rows);
  const tcol = column('time');
  for (let r = 0; r < rows; r++) time[r] = Number(tcol.get(r));
  const y = Float64Array.from(column('label').toArray() as Float64Array);
  const X = new Float64Array(rows * nf);
  for (let f = 0; f < nf; f++) {
    const col = column(featureNames[f]).toArray() as Float64Array;
    for (let r = 0; r < rows; r++) X[r * nf + f] = col[r];
  }
  return { featureNames, X, y, time, symbol: Array.from(symbol), meta };
}
