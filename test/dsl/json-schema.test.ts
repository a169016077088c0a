import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pipelineJsonSchema } from '../../dsl';
import { renderSchema, SCHEMA_PATH } from '../../scripts/gen-schema';
import { testCatalog } from './catalog';

type Schema = Record<string, any>;

describe('pipeline JSON Schema', () => {
  it('the committed pipelines/schema/pipeline.schema.json is up to date (npx tsx scripts/gen-schema.ts)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(renderSchema());
  });

  const schema: Schema = pipelineJsonSchema(testCatalog);
  const stage = schema.definitions.stage;

  it('is draft-07 with descriptions, offering the catalog in uses', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['name', 'stages']);
    expect(stage.properties.uses.enum).toEqual(['core.echo', 'core.fail', 'core.sleep', 'models.publish', 'trades.import', 'training.train']);
    expect(stage.properties.needs.description).toBeTruthy();
    expect(schema.definitions.retry.properties.maxAttempts).toMatchObject({ type: 'integer', minimum: 1 });
  });

  it("gives each activity's with its input schema, where values may be expressions", () => {
    const rule = stage.allOf.find((r: Schema) => r.if.properties.uses.const === 'training.train');
    const withSchema = rule.then.properties.with;
    expect(withSchema.required).toEqual(['dataset', 'models']);
    expect(withSchema.additionalProperties).toBe(false);
    expect(withSchema.properties.models.anyOf[0]).toMatchObject({ type: 'array', minItems: 1 });
    expect(withSchema.properties.models.anyOf[1]).toEqual({ $ref: '#/definitions/expression' });
    expect(withSchema.properties.gbdt.anyOf[0].properties.max_depth.anyOf[0]).toMatchObject({ type: 'integer', maximum: 16 });
  });

  it('keeps the expression and duration patterns in step with the compiler', () => {
    const expression = new RegExp(schema.definitions.expression.pattern);
    expect(expression.test('${{ params.x }}')).toBe(true);
    expect(expression.test('plain')).toBe(false);
    const duration = new RegExp(schema.definitions.duration.pattern);
    expect(['500ms', '30s', '1h30m', '3d'].every((d) => duration.test(d))).toBe(true);
    expect(duration.test('30')).toBe(false);
  });
});

// ajv (a dev dependency) is what editors' YAML plugins use to check a file against the schema.
const ajvModule = require('ajv') as { default: new (opts: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } } };

describe('pipeline JSON Schema under a draft-07 validator', () => {
  const { parse } = require('yaml') as typeof import('yaml');
  const { readFileSync: read } = require('node:fs') as typeof import('node:fs');
  const validate = new ajvModule.default({ strict: false, allErrors: true }).compile(pipelineJsonSchema(testCatalog));
  const load = (name: string) => parse(read(`${__dirname}/fixtures/${name}`, 'utf8'));

  it('accepts the good fixtures', () => {
    for (const name of ['nightly.yaml', 'nightly-reordered.yaml']) expect(validate(load(name)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects unknown activities, unknown inputs and wrong input types', () => {
    const good = load('nightly.yaml');
    const variants = [
      { ...good, stages: { ...good.stages, archive: { uses: 'core.ech', with: { message: 'x' } } } },
      { ...good, stages: { ...good.stages, archive: { uses: 'core.echo', with: { mesage: 'x' } } } },
      { ...good, stages: { ...good.stages, backfill: { uses: 'core.sleep', with: { ms: 'soon' } } } },
      { ...good, stages: { ...good.stages, archive: { uses: 'core.echo', with: { message: 'x' }, need: ['a'] } } },
      { ...good, defaults: { retry: { maxAttempts: 0 } } },
    ];
    for (const v of variants) expect(validate(v)).toBe(false);
  });

  it('accepts every pipeline in pipelines/ under the committed schema (what editors use)', () => {
    const dir = `${__dirname}/../../pipelines`;
    const schema = JSON.parse(read(`${dir}/schema/pipeline.schema.json`, 'utf8'));
    const check = new ajvModule.default({ strict: false, allErrors: true }).compile(schema);
    const files = require('node:fs').readdirSync(dir).filter((f: string) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(check(parse(read(`${dir}/${f}`, 'utf8'))), `${f}: ${JSON.stringify(check.errors)}`).toBe(true);
  });
});
