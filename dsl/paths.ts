// File paths in pipelines: inputs whose schema says `format: 'path'` (trades.import's `file`,
// features.build's `samplesFile`, …) may only name files inside the project folder or the data
// folder. A relative path is relative to the project folder. Pure string rules (POSIX paths):
// the compiler knows the folders only when its caller passes them (`client`, the worker); the
// activities check again at run time with symlinks resolved (activities/paths.ts), because values
// also come from `--param`, schedules and upstream stages.
import type { JsonSchema } from './activity-spec';

export interface PathRoots {
  /** Absolute: the project folder (relative paths start here). */
  project: string;
  /** Absolute: the data folder (TRAINFLOW_DATA_DIR). */
  data: string;
}

/** `a/./b/../c` → ['a', 'c']; undefined if '..' climbs above the start. */
function segments(p: string): string[] | undefined {
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s !== '..') out.push(s);
    else if (out.length === 0) return undefined;
    else out.pop();
  }
  return out;
}

function inside(absolute: string[], root: string): boolean {
  const r = segments(root) ?? [];
  return r.length <= absolute.length && r.every((s, i) => s === absolute[i]);
}

/** Why `text` may not be used as a path (`leaves the project folder …`), or undefined. */
export function pathProblem(text: string, roots?: PathRoots): string | undefined {
  if (text.trim() === '') return 'is empty';
  if (text.includes('\0')) return 'contains a NUL character';
  if (!text.startsWith('/')) {
    const rel = segments(text);
    if (rel === undefined) return "leaves the project folder ('..' above it): write paths relative to the project folder";
    return roots && !inside([...(segments(roots.project) ?? []), ...rel], roots.project) ? `is outside the project folder (${roots.project})` : undefined;
  }
  // Without the folders, an absolute path is left to the run-time check.
  if (!roots) return undefined;
  const abs = segments(text) ?? [];
  if (inside(abs, roots.project) || inside(abs, roots.data)) return undefined;
  return `is outside the project folder (${roots.project}) and the data folder (${roots.data})`;
}

/** The top-level inputs of an activity that are paths. */
export function pathInputs(schema: JsonSchema): string[] {
  return Object.entries(schema.properties ?? {})
    .filter(([, s]) => s.format === 'path')
    .map(([name]) => name);
}
