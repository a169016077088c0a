// Samples files: `<dataDir>/samples/<sha256>.jsonl.gz`, gzip (fixed header) of JSON lines
// {symbol, time, label, kind, horizonMs} (that key order), sorted by (time, symbol, kind,
// horizonMs, label). The name is the sha256 (hex) of the uncompressed JSON lines, so equal
// sample sets share one file. Beside it, `<sha256>.meta.json`: {hash, count, bySymbol, byKind,
// ...meta}; when the same samples are written with different meta, the last meta wins.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { gzipDeterministic, sha256Hex, writeFileAtomic } from '../trades/files';
import { compareSamples, type Sample } from './sample';

export interface WrittenSamples {
  file: string;
  hash: string;
  count: number;
}

export function samplesToText(samples: Sample[]): string {
  return [...samples]
    .sort(compareSamples)
    .map((s) => JSON.stringify({ symbol: s.symbol, time: s.time, label: s.label, kind: s.kind, horizonMs: s.horizonMs }) + '\n')
    .join('');
}

export function writeSamples(dataDir: string, samples: Sample[], meta: Record<string, unknown> = {}): WrittenSamples {
  const text = samplesToText(samples);
  const hash = sha256Hex(text);
  const dir = path.join(dataDir, 'samples');
  const file = path.join(dir, `${hash}.jsonl.gz`);
  if (!existsSync(file)) writeFileAtomic(file, gzipDeterministic(text));
  const count = (s: (x: Sample) => string) => samples.reduce<Record<string, number>>((m, x) => ((m[s(x)] = (m[s(x)] ?? 0) + 1), m), {});
  const metaJson = { hash, count: samples.length, bySymbol: count((x) => x.symbol), byKind: count((x) => x.kind), ...meta };
  writeFileAtomic(samplesMetaFile(file), JSON.stringify(metaJson, null, 2) + '\n');
  return { file, hash, count: samples.length };
}

export function samplesMetaFile(samplesFile: string): string {
  return samplesFile.replace(/\.jsonl\.gz$/, '.meta.json');
}

export function readSamples(file: string): Sample[] {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const out: Sample[] = [];
  for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as Sample);
  return out;
}
