// The workflow bundle imports dsl/plan.ts and dsl/expr/*: they (and what they import) must not
// touch node builtins or the yaml package. The rest of dsl/ must stay free of I/O and Temporal.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const dslDir = resolve(__dirname, '../../dsl');
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);

function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const spec of importsOf(entry)) if (spec.startsWith('.')) closure(resolve(dirname(entry), spec) + '.ts', seen);
  return seen;
}

describe('dsl purity', () => {
  it('plan.ts and expr/* import nothing outside pure relative modules', () => {
    const entries = [join(dslDir, 'plan.ts'), ...readdirSync(join(dslDir, 'expr')).map((f) => join(dslDir, 'expr', f))];
    const files = new Set(entries.flatMap((e) => [...closure(e)]));
    for (const file of files) {
      for (const spec of importsOf(file)) expect(spec.startsWith('.'), `${file} imports '${spec}'`).toBe(true);
      expect(file.startsWith(dslDir), `${file} is outside dsl/`).toBe(true);
    }
  });

  it('no dsl file imports node builtins, Temporal or I/O, or uses eval/Function', () => {
    const files = readdirSync(dslDir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    for (const f of files) {
      const text = readFileSync(join(dslDir, f), 'utf8');
      for (const spec of importsOf(join(dslDir, f))) {
        expect(spec.startsWith('node:') || spec.startsWith('@temporalio') || ['fs', 'path', 'crypto'].includes(spec), `${f} imports ${spec}`).toBe(false);
        if (!spec.startsWith('.')) expect(spec, f).toBe('yaml');
      }
      expect(/\beval\(|new Function\(/.test(text), `${f} uses eval/Function`).toBe(false);
    }
  });
});
