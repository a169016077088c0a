import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../activities/labels/sample';
import { readSamples, samplesMetaFile, writeSamples } from '../../activities/labels/samples-file';

const samples: Sample[] = [
  { symbol: 'ETHUSDT', time: 2000, label: -0.01, kind: 'forward', horizonMs: 60_000 },
  { symbol: 'BTCUSDT', time: 2000, label: 0.02, kind: 'forward', horizonMs: 60_000 },
  { symbol: 'BTCUSDT', time: 1000, label: 0.005, kind: 'trade', horizonMs: 3_600_000 },
];

describe('samples files', () => {
  it('are gzip JSON lines sorted by (time, symbol), named by the sha256 of their content, reproducible', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'trainflow-samples-'));
    const a = writeSamples(dataDir, samples, { note: 'x' });
    const text = gunzipSync(readFileSync(a.file)).toString();
    expect(text.split('\n')[0]).toBe('{"symbol":"BTCUSDT","time":1000,"label":0.005,"kind":"trade","horizonMs":3600000}');
    expect(a.hash).toBe(createHash('sha256').update(text).digest('hex'));
    expect(a.file).toBe(path.join(dataDir, 'samples', `${a.hash}.jsonl.gz`));
    expect(a.count).toBe(3);
    expect(readSamples(a.file).map((s) => [s.time, s.symbol])).toEqual([[1000, 'BTCUSDT'], [2000, 'BTCUSDT'], [2000, 'ETHUSDT']]);
    const bytes = readFileSync(a.file);
    const b = writeSamples(mkdtempSync(path.join(os.tmpdir(), 'trainflow-samples-')), [...samples].reverse());
    expect(b.hash).toBe(a.hash);
    expect(readFileSync(b.file).equals(bytes)).toBe(true);
    expect(JSON.parse(readFileSync(samplesMetaFile(a.file), 'utf8'))).toMatchObject({ hash: a.hash, count: 3, bySymbol: { BTCUSDT: 2, ETHUSDT: 1 }, byKind: { forward: 2, trade: 1 }, note: 'x' });
  });
});
