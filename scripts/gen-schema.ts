// Writes pipelines/schema/pipeline.schema.json from the activity catalog: `npx tsx scripts/gen-schema.ts`.
// test/dsl/json-schema.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../activities/catalog';
import { pipelineJsonSchema } from '../dsl/json-schema';

export const SCHEMA_PATH = join(__dirname, '..', 'pipelines', 'schema', 'pipeline.schema.json');

export function renderSchema(): string {
  return JSON.stringify(pipelineJsonSchema(catalog), null, 2) + '\n';
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, renderSchema());
  console.log(`wrote ${SCHEMA_PATH}`);
}
