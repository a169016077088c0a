// The dataset file opens in pyarrow and pandas (no Trainflow code) with the same rows, columns
// and values, and readDataset gives back exactly what was written.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config';
import { DatasetBuilder } from '../../activities/features/dataset-builder';
import { readDataset, writeDataset } from '../../activities/features/dataset';
import { resolveFeatureConfig } from '../../activities/features/feature-config';
import { klinesBetween, MINUTE } from './real-klines';
import { samplesFromBars } from './samples-fixture';

const python = path.join(projectRoot, 'tools/venv/bin/python');
const probe = spawnSync(python, ['-c', 'import pyarrow, pandas'], { encoding: 'utf8' });
const hasPyarrow = probe.status === 0;
const whyNot = `${python} cannot import pyarrow/pandas (${(probe.stderr || String(probe.error)).trim().split('\n').pop()}); scripts/ensure-deps.sh installs them`;

const dir = mkdtempSync(path.join(tmpdir(), 'features-arrow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build() {
  const b = new DatasetBuilder(resolveFeatureConfig(), '1m', MINUTE);
  for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
    const bars = klinesBetween(symbol, '2023-04-01T00:00:00Z', '2023-04-03T00:00:00Z');
    b.addSymbol(symbol, samplesFromBars(symbol, bars, 13), bars);
  }
  return b.finish({ label: { kind: 'forward-return', horizonMs: 900_000 }, samplesFile: 'test' });
}

const PY = `
import json, sys, pyarrow as pa, pandas as pd
t = pa.ipc.open_file(sys.argv[1]).read_all()
df = pd.read_feather(sys.argv[1])  # pandas reads Arrow IPC files through pyarrow
meta = json.loads(t.schema.metadata[b'trainflow'])
print(json.dumps({
  'rows': t.num_rows, 'columns': t.column_names, 'types': [str(f.type) for f in t.schema],
  'pandasShape': list(df.shape), 'pandasDtypes': [str(d) for d in df.dtypes],
  'symbol': df['symbol'].astype(str).tolist(),
  'timeMs': (df['time'].astype('int64') // 10**6).tolist() if str(df['time'].dtype).endswith('[ns, UTC]') else df['time'].astype('int64').tolist(),
  'timeUnit': str(df['time'].dtype),
  'label': df['label'].tolist(),
  'features': {c: df[c].tolist() for c in meta['featureNames']},
  'metaFeatureNames': meta['featureNames'], 'metaRows': meta['rows'],
}))
`;

describe('dataset file', () => {
  it('readDataset returns exactly what writeDataset wrote, and the file is named by its sha256', async () => {
    const ds = build();
    const w = await writeDataset(dir, ds);
    expect(path.basename(w.file)).toBe(`${w.hash}.arrow`);
    const sha = execFileSync('sha256sum', [w.file], { encoding: 'utf8' }).split(' ')[0];
    expect(sha).toBe(w.hash);
    const back = await readDataset(w.file);
    expect(back.featureNames).toEqual(ds.featureNames);
    expect(Array.from(back.X)).toEqual(Array.from(ds.X));
    expect(Array.from(back.y)).toEqual(Array.from(ds.y));
    expect(Array.from(back.time)).toEqual(Array.from(ds.time));
    expect(back.symbol).toEqual(ds.symbol);
    expect(back.meta.validity).toEqual(ds.meta.validity);
    const sidecar = JSON.parse(readFileSync(w.metaFile, 'utf8'));
    expect(sidecar).toMatchObject({ hash: w.hash, featureNames: ds.featureNames, warmupBars: 61, label: { kind: 'forward-return' } });
    // Same inputs → same bytes → same name.
    expect((await writeDataset(dir, build())).hash).toBe(w.hash);
  });

  // Not a skip: the datasets' promise is that pandas reads them, and setup installs pyarrow.
  it('pyarrow and pandas read the same rows, columns and values', async () => {
    expect(hasPyarrow, whyNot).toBe(true);
    const ds = build();
    const w = await writeDataset(dir, ds);
    const out = JSON.parse(execFileSync(python, ['-c', PY, w.file], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    const nf = ds.featureNames.length;
    const rows = ds.y.length;
    expect(out.rows).toBe(rows);
    expect(out.columns).toEqual(['symbol', 'time', 'label', ...ds.featureNames]);
    expect(out.types.slice(0, 3)).toEqual(['dictionary<values=string, indices=int32, ordered=0>', 'timestamp[ms, tz=UTC]', 'double']);
    expect(out.types.slice(3).every((t: string) => t === 'double')).toBe(true);
    expect(out.pandasShape).toEqual([rows, 3 + nf]);
    expect(out.symbol).toEqual(ds.symbol);
    expect(out.timeMs).toEqual(Array.from(ds.time));
    expect(out.label).toEqual(Array.from(ds.y));
    ds.featureNames.forEach((name, f) => {
      expect(out.features[name]).toEqual(Array.from({ length: rows }, (_, r) => ds.X[r * nf + f]));
    });
    expect(out.metaFeatureNames).toEqual(ds.featureNames);
    expect(out.metaRows).toBe(rows);
  });
});
