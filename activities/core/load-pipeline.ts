// Reads and compiles a pipeline file for a scheduled run, inside the run (so the compiled plan
// is recorded in its history). A file that does not compile fails the run, never retries it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActivityDeps } from '../deps';
import type { ActivityFn } from '../context';
import { NonRetryableError } from '../errors';
import { compilePipeline, formatError } from '../../dsl';
import { resolveParams } from '../../dsl/resolve-params';
import { catalog } from '../catalog';
import { pathRoots } from '../paths';

export function createLoadPipelineActivity(deps: ActivityDeps): Record<string, ActivityFn> {
  const load: ActivityFn<{ file: string; params?: Record<string, unknown> }> = async (input) => {
    const file = path.resolve(deps.config.pipelinesDir, input.file);
    const text = await readFile(file, 'utf8').catch((e: Error) => {
      throw new NonRetryableError(`cannot read pipeline ${file}: ${e.message}`, 'PipelineInvalid');
    });
    const { plan, errors } = compilePipeline(text, { file: path.relative(process.cwd(), file), catalog, roots: pathRoots(deps.config) });
    if (!plan || errors.length) throw new NonRetryableError(errors.map(formatError).join('\n'), 'PipelineInvalid');
    const resolved = resolveParams(plan, { ...(plan.schedule?.params ?? {}), ...(input.params ?? {}) });
    if (resolved.errors.length) throw new NonRetryableError(resolved.errors.join('\n'), 'PipelineInvalid');
    return { plan, params: resolved.values };
  };
  return { 'core.loadPipeline': load };
}
