// The code version of an activity type, for the stage cache: a hash of every source file its
// domain folder (activities/<domain>/) reaches through relative imports — its own files and what
// they import from models/, lib/, dsl/ or other domains. A fix to the training code changes
// training's version and no other: a re-run after it still reuses the backfill. The installed
// version of each package those files import (technicalindicators, @tensorflow/tfjs, …) is part of
// it too: an upgrade that changes an indicator's values must not reuse the old features.
import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
/** Activity types whose prefix is not their folder. */
const FOLDER_OF_PREFIX: Record<string, string> = { models: 'training' };

const IMPORT = /(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined; // a package: see packageVersions
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** The package a bare import specifier names ('@scope/name/sub' → '@scope/name'), or undefined for Node's own modules. */
export function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every source file reachable from `roots` by relative imports (roots included, sorted), and the packages they import. */
function scanImports(roots: string[]): { files: string[]; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const todo = [...roots];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const target = resolveImport(file, spec);
      if (target) {
        if (!seen.has(target)) todo.push(target);
      } else {
        const name = packageOf(spec);
        if (name) packages.add(name);
      }
    }
  }
  return { files: [...seen].sort(), packages };
}

export function sourceClosure(roots: string[]): string[] {
  return scanImports(roots).files;
}

/** `name@version` (as installed in node_modules) of every package the source closure of `roots` imports, sorted. */
export function packageVersions(roots: string[]): string[] {
  return installedVersions(scanImports(roots).packages);
}

function installedVersions(names: Set<string>): string[] {
  return [...names].sort().map((name) => {
    const manifest = path.join(ROOT, 'node_modules', name, 'package.json');
    const version = existsSync(manifest) ? String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version) : 'not installed';
    return `${name}@${version}`;
  });
}

const byFolder = new Map<string, string>();

/** `sha256:<12 hex>` of the folder's source closure; computed once per folder per process. */
export function codeVersion(activityType: string): string {
  const prefix = activityType.split('.')[0];
  const folder = FOLDER_OF_PREFIX[prefix] ?? prefix;
  let version = byFolder.get(folder);
  if (!version) {
    const dir = path.join(ROOT, 'activities', folder);
    const roots = existsSync(dir) ? tsFiles(dir) : [path.join(ROOT, 'activities', 'index.ts')];
    const hash = createHash('sha256');
    const { files, packages } = scanImports(roots);
    for (const f of files) hash.update(path.relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
    for (const p of installedVersions(packages)) hash.update(p).update('\0');
    version = `sha256:${hash.digest('hex').slice(0, 12)}`;
    byFolder.set(folder, version);
  }
  return version;
}
