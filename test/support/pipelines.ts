// Compiles pipeline YAML written inline in a test, failing loudly on any DSL error.
import { compilePipeline, formatError } from '../../dsl';
import type { Plan } from '../../dsl/plan';
import { catalog } from '../../activities/catalog';
import { pathRoots } from '../../activities/paths';
import { loadConfig } from '../../config';

export function compileYaml(text: string, file = 'test.yaml'): Plan {
  const { plan, errors } = compilePipeline(text, { file, catalog, roots: pathRoots(loadConfig()) });
  if (!plan || errors.length) throw new Error(`pipeline does not compile:\n${errors.map(formatError).join('\n')}`);
  return plan;
}
