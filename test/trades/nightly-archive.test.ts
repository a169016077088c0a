import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../dsl';
import { evaluate } from '../../dsl/expr';
import { catalog } from '../../activities/catalog';
import { tradesSpecs } from '../../activities/trades/specs';

const file = path.resolve(__dirname, '../../pipelines/nightly-archive.yaml');

describe('pipelines/nightly-archive.yaml', () => {
  it('compiles and archives the UTC day before the logical date', () => {
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/pipeline.schema.json');
    const result = compilePipeline(text, { file, catalog: { ...catalog, ...Object.fromEntries(tradesSpecs.map((s) => [s.name, s])) } }) as any;
    expect(result.errors ?? []).toEqual([]);
    const plan = result.plan;
    expect(plan.schedule).toMatchObject({ cron: '15 0 * * *', timezone: 'UTC', overlap: 'skip', catchupWindowMs: 3 * 86_400_000 });
    const day = plan.stages[0].with.entries.day;
    const scope = { params: {}, run: { id: 'r', workflowId: 'w', pipeline: 'nightly-archive', logicalDate: '2023-04-02T00:15:00.000Z', startedAt: '' }, stages: {} };
    expect(plan.stages[0].uses).toBe('trades.archiveDay');
    expect(evaluate(day.expr, scope)).toBe('2023-04-01');
    expect(evaluate(day.expr, { ...scope, run: { ...scope.run, logicalDate: '2024-03-01T00:15:00Z' } })).toBe('2024-02-29');
  });
});
