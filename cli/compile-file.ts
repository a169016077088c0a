import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compilePipeline, formatError, type DslError } from '../dsl';
import { LIMITS } from '../dsl/limits';
import { sourceTooLarge } from '../dsl/parse-source';
import type { Plan } from '../dsl/plan';
import { catalog } from '../activities/catalog';
import { pathRoots } from '../activities/paths';
import { loadConfig } from '../config';

export interface CompiledFile {
  file: string;
  plan?: Plan;
  errors: DslError[];
}

export function compileFile(file: string): CompiledFile {
  const shown = path.relative(process.cwd(), path.resolve(file)) || file;
  let text: string;
  try {
    // A file over the limit is refused without reading it.
    const { size } = statSync(file);
    if (size > LIMITS.maxSourceBytes) return { file: shown, errors: [sourceTooLarge(shown, size, LIMITS)] };
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { file: shown, errors: [{ file: shown, line: 1, col: 1, endLine: 1, endCol: 1, code: 'invalid-value', message: `cannot read file: ${(err as Error).message}` }] };
  }
  const { plan, errors } = compilePipeline(text, { file: shown, catalog, roots: pathRoots(loadConfig()) });
  return { file: shown, plan: errors.length ? undefined : plan, errors };
}

export class PipelineInvalid extends Error {
  override name = 'PipelineInvalid';
}

/** Compiles or throws every error (file:line:col: message) in one message. */
export function compileOrThrow(file: string): Plan {
  const { plan, errors } = compileFile(file);
  if (!plan) throw new PipelineInvalid([...errors.map(formatError), `${errors.length} error${errors.length === 1 ? '' : 's'}`].join('\n'));
  return plan;
}

/** Compiles or prints every error (file:line:col: message) and exits 1. */
export function compileOrExit(file: string): Plan {
  const { plan, errors } = compileFile(file);
  if (!plan) {
    for (const e of errors) console.error(formatError(e));
    console.error(`${errors.length} error${errors.length === 1 ? '' : 's'}`);
    process.exit(1);
  }
  return plan;
}
