// Reads the samples a dataset is built from: the labels stage's samples file (gzip JSON lines
// {symbol, time, label, kind, horizonMs}, activities/labels/samples-file.ts) and, for the
// dataset's label definition, its `.meta.json` sidecar plus the kinds and horizons it holds.
import { existsSync, readFileSync } from 'node:fs';
import { InvalidInputError } from '../errors';
import { readSamples, samplesMetaFile } from '../labels/samples-file';
import type { SampleRef } from './lookup';

export interface SamplesInput {
  samples: SampleRef[];
  labelDefinition: unknown;
}

export async function readSamplesInput(file: string): Promise<SamplesInput> {
  if (!existsSync(file)) throw new InvalidInputError(`samples file not found: ${file}`);
  const raw = readSamples(file);
  const samples: SampleRef[] = [];
  const kinds = new Set<string>();
  const horizons = new Set<number>();
  raw.forEach((o, i) => {
    if (typeof o.symbol !== 'string' || typeof o.time !== 'number' || !Number.isFinite(o.time)) {
      throw new InvalidInputError(`${file}: sample ${i + 1} needs a string symbol and a finite numeric time`);
    }
    // A null/absent label stays: it is reported as 'label missing', never skipped silently.
    samples.push({ symbol: o.symbol, time: o.time, label: o.label ?? null });
    if (o.kind !== undefined) kinds.add(String(o.kind));
    if (o.horizonMs !== undefined) horizons.add(Number(o.horizonMs));
  });
  // One label column: a file mixing kinds (trade pnl vs forward return) would mix targets.
  if (kinds.size > 1) throw new InvalidInputError(`${file} mixes label kinds (${[...kinds].join(', ')}); build one dataset per kind`);
  const sidecar = samplesMetaFile(file);
  const samplesMeta = existsSync(sidecar) ? JSON.parse(readFileSync(sidecar, 'utf8')) : null;
  const horizonMs = [...horizons].sort((a, b) => a - b);
  return {
    samples,
    labelDefinition: {
      kind: [...kinds][0] ?? null,
      // The distinct horizons; trades have one each, so past 10 only the longest (what a CV purge
      // must cover) plus the range.
      horizonMs: horizonMs.length <= 10 ? horizonMs : horizonMs[horizonMs.length - 1],
      ...(horizonMs.length > 10 ? { horizonMsRange: { min: horizonMs[0], max: horizonMs[horizonMs.length - 1], distinct: horizonMs.length } } : {}),
      unit: 'simple return as a fraction (activities/labels/sample.ts)',
      samplesMeta,
    },
  };
}
