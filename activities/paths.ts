// Run-time confinement of file paths: every input whose schema says `format: 'path'` must name
// something inside the project folder or the data folder, symlinks resolved. The compiler checks
// the paths written in a pipeline (dsl/paths.ts); this runs again in every activity because
// values also come from `--param`, schedules and upstream stages' outputs. A path outside is bad
// input: the stage fails at once, never retried.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { ActivitySpec } from '../dsl/activity-spec';
import { pathInputs, type PathRoots } from '../dsl/paths';
import { projectRoot, type Config } from '../config';
import type { ActivityFn } from './context';
import { InvalidInputError } from './errors';

export const pathRoots = (config: Pick<Config, 'dataDir'>): PathRoots => ({ project: projectRoot, data: config.dataDir });

/** The real path of the longest existing prefix of `p`, with the rest appended (a file still to
 *  be written has no real path yet, its folder does). */
function realPath(p: string): string {
  const rest: string[] = [];
  for (let head = p; ; ) {
    try {
      return path.join(realpathSync.native(head), ...rest);
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return p;
      rest.unshift(path.basename(head));
      head = parent;
    }
  }
}

const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** `value` as an absolute path inside the folders, or an InvalidInputError naming them. */
export function confinePath(value: unknown, what: string, roots: PathRoots): string {
  if (typeof value !== 'string' || value.trim() === '' || value.includes('\0')) {
    throw new InvalidInputError(`${what} must be a file path, got ${JSON.stringify(value)}`);
  }
  const absolute = path.resolve(roots.project, value);
  const real = realPath(absolute);
  if ([roots.project, roots.data].some((root) => within(real, realPath(path.resolve(root))))) return absolute;
  throw new InvalidInputError(`${what}: path '${value}' is outside the project folder (${roots.project}) and the data folder (${roots.data})`);
}

/** Wraps every activity that takes path inputs so they are confined before it runs. */
export function confinePathInputs(fns: Record<string, ActivityFn>, specs: Readonly<Record<string, ActivitySpec>>, roots: PathRoots): Record<string, ActivityFn> {
  const out: Record<string, ActivityFn> = {};
  for (const [name, fn] of Object.entries(fns)) {
    const inputs = Object.prototype.hasOwnProperty.call(specs, name) ? pathInputs(specs[name].input) : [];
    out[name] =
      inputs.length === 0
        ? fn
        : async (input, ctx) => {
            for (const key of inputs) {
              const value = (input as Record<string, unknown> | null)?.[key];
              if (value !== undefined) confinePath(value, `input '${key}' of ${name}`, roots);
            }
            return fn(input, ctx);
          };
  }
  return out;
}
