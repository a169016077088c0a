// Reads the samples a dataset is built from: gzip (or plain) JSON lines
// {symbol, time, label, kind, horizonMs}, as the labels stage writes them. The label definition
// for the dataset metadata is what the file says about its labels (distinct kinds and horizons),
// plus `<file>.meta.json` if the labels stage wrote one beside it.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { InvalidInputError } from '../errors';
import type { SampleRef } from './lookup';

export interface SamplesInput {
  samples: SampleRef[];
  labelDefinition: unknown;
}

export async function readSamplesInput(file: string): Promise<SamplesInput> {
  if (!existsSync(file)) throw new InvalidInputError(`samples file not found: ${file}`);
  const raw = await readFile(file);
  const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const samples: SampleRef[] = [];
  const kinds = new Set<string>();
  const horizons = new Set<number>();
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (!line.trim()) continue;
    const o = JSON.parse(line);
    if (typeof o.symbol !== 'string' || typeof o.time !== 'number' || !Number.isFinite(o.time)) {
      throw new InvalidInputError(`${file}:${lineNo}: a sample needs a string symbol and a numeric time`);
    }
    // A null/absent label is kept here and reported as 'label missing', never skipped silently.
    samples.push({ symbol: o.symbol, time: o.time, label: o.label ?? null });
    if (o.kind !== undefined) kinds.add(String(o.kind));
    if (o.horizonMs !== undefined) horizons.add(Number(o.horizonMs));
  }
  const sidecar = file.replace(/(\.jsonl)?(\.gz)?$/, '') + '.meta.json';
  const fileMeta = existsSync(sidecar) ? JSON.parse(await readFile(sidecar, 'utf8')) : undefined;
  return { samples, labelDefinition: { kinds: [...kinds].sort(), horizonMs: [...horizons].sort((a, b) => a - b), samplesMeta: fileMeta ?? null } };
}
