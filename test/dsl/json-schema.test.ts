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
    expect(stage.properties.uses.enum).toEqual(['core.echo', 'core.fail', 'core.sleep', 'training.train']);
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
