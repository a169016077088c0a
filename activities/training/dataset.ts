// Loads the features stage's dataset and derives what CV needs from its metadata: the bar length
// and the label horizon (the purge gap must cover it).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { INTERVAL_MS } from '../binance/kline';
import { readDataset, type Dataset } from '../features/dataset';
import { InvalidInputError, NonRetryableError } from '../errors';
import { durationMs } from './duration';

export type { Dataset };

export async function loadDataset(file: string): Promise<Dataset> {
  try {
    return await readDataset(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NonRetryableError(`dataset file not found: ${file}`, 'DatasetNotFound');
    throw err;
  }
}

export async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Bar length: the dataset's interval, else the most common spacing of one symbol's sample times. */
export function barMs(ds: Dataset): number {
  const fromMeta = ds.meta.interval ? INTERVAL_MS[ds.meta.interval] : undefined;
  if (fromMeta) return fromMeta;
  const first = ds.symbol[0];
  const t = Array.from(ds.time).filter((_, i) => ds.symbol[i] === first).sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (let i = 1; i < t.length; i++) if (t[i] > t[i - 1]) counts.set(t[i] - t[i - 1], (counts.get(t[i] - t[i - 1]) ?? 0) + 1);
  let best = 60_000;
  let bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount) [best, bestCount] = [d, c];
  return best;
}

/** The label horizon in ms from the (opaque) label definition: horizonMs (a number, or the list
 * of distinct horizons the features stage records — the longest counts), horizon (bars or
 * duration) or horizonBars. Undefined when the metadata does not say. */
export function labelHorizonMs(ds: Dataset): number | undefined {
  const label = ds.meta.label as Record<string, unknown> | undefined;
  if (!label || typeof label !== 'object') return undefined;
  const bar = barMs(ds);
  if (typeof label.horizonMs === 'number') return label.horizonMs;
  if (Array.isArray(label.horizonMs) && label.horizonMs.length > 0) return Math.max(...label.horizonMs.map(Number));
  if (typeof label.horizonBars === 'number') return label.horizonBars * bar;
  if (typeof label.horizon === 'number' || typeof label.horizon === 'string') return durationMs(label.horizon as number | string, bar, 'label.horizon');
  return undefined;
}

export function requireHorizonMs(ds: Dataset, purgeMs: number, warnings: string[]): number {
  const h = labelHorizonMs(ds);
  if (h !== undefined) return h;
  if (purgeMs > 0) {
    warnings.push(`dataset metadata has no label horizon; trusting cv.purge (${purgeMs} ms) to cover it`);
    return purgeMs;
  }
  throw new InvalidInputError('dataset metadata has no label horizon (meta.label.horizonMs); set cv.purge to at least the label horizon');
}
