// Reads a trades file into loose records with their line numbers, for import validation.
//   *.csv (optionally .gz): a header row naming the fields, then one trade per line. Fields may be
//     double-quoted ("" escapes a quote); a quoted field may not span lines.
//   anything else (.jsonl, .json, optionally .gz): one JSON object per line; blank lines skipped.
// Field names are those of trade.ts; `id` and `simulated` are optional in files (see import.ts).
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InvalidInputError } from '../errors';

export interface FileRecord {
  line: number;
  record?: Record<string, unknown>;
  /** Set when the line is not a JSON object / CSV row at all. */
  error?: string;
}

export function readTradeFile(file: string): FileRecord[] {
  if (!existsSync(file)) throw new InvalidInputError(`trades file not found: ${file}`);
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const base = file.replace(/\.gz$/, '');
  return base.toLowerCase().endsWith('.csv') ? parseCsv(text) : parseJsonLines(text);
}

export function parseJsonLines(text: string): FileRecord[] {
  const out: FileRecord[] = [];
  text.split('\n').forEach((l, i) => {
    const line = l.trim();
    if (!line) return;
    try {
      const v = JSON.parse(line);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) out.push({ line: i + 1, error: 'not a JSON object' });
      else out.push({ line: i + 1, record: v });
    } catch (e) {
      out.push({ line: i + 1, error: `invalid JSON: ${(e as Error).message}` });
    }
  });
  return out;
}

export function parseCsv(text: string): FileRecord[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const header = splitCsvLine(lines[0] ?? '');
  if (!header || header.length === 0 || header[0] === '') return [{ line: 1, error: 'missing CSV header row' }];
  const out: FileRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = splitCsvLine(lines[i]);
    if (!cells) out.push({ line: i + 1, error: 'unbalanced quotes' });
    else if (cells.length !== header.length) out.push({ line: i + 1, error: `${cells.length} cells, header has ${header.length}` });
    else out.push({ line: i + 1, record: Object.fromEntries(header.map((h, j) => [h.trim(), cells[j]])) });
  }
  return out;
}

/** One CSV line's cells, or undefined if its quotes do not balance. */
function splitCsvLine(line: string): string[] | undefined {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { cells.push(cur); cur = ''; }
    else cur += c;
  }
  if (quoted) return undefined;
  cells.push(cur);
  return cells;
}
