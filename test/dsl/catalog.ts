// A small activity catalog for the DSL tests (the real one is assembled in activities/catalog.ts).
import type { ActivitySpec } from '../../dsl/activity-spec';

const specs: ActivitySpec[] = [
  {
    name: 'core.echo',
    description: 'Returns its message.',
    input: { type: 'object', properties: { message: { type: 'string', description: 'What to echo.' } }, required: ['message'] },
    outputs: ['message'],
  },
  {
    name: 'core.sleep',
    description: 'Sleeps for ms milliseconds.',
    input: { type: 'object', properties: { ms: { type: 'integer', minimum: 0, maximum: 3_600_000 } }, required: ['ms'] },
    outputs: ['slept'],
  },
  {
    name: 'core.fail',
    description: 'Fails failTimes times, then succeeds.',
    input: {
      type: 'object',
      properties: {
        message: { type: 'string' },
        failTimes: { type: 'integer', minimum: 0 },
        errorType: { type: 'string', enum: ['Transient', 'InvalidInput', 'Fatal'] },
      },
      required: ['message'],
    },
    outputs: ['attempts'],
  },
  {
    name: 'training.train',
    description: 'Trains models on a dataset.',
    input: {
      type: 'object',
      properties: {
        dataset: { type: 'string' },
        models: { type: 'array', minItems: 1, items: { type: 'string', enum: ['gbdt', 'mlp'] } },
        gbdt: {
          type: 'object',
          properties: {
            max_depth: { type: 'integer', minimum: 1, maximum: 16 },
            eta: { type: 'number', minimum: 0, maximum: 1 },
            early_stopping: { type: 'boolean' },
          },
        },
        tags: { type: 'object', additionalProperties: { type: 'string' } },
      },
      required: ['dataset', 'models'],
    },
    outputs: ['modelIds', 'metrics'],
  },
  {
    name: 'trades.import',
    description: 'Imports trades from a file.',
    input: { type: 'object', properties: { file: { type: 'string', format: 'path' } }, required: ['file'] },
    outputs: ['imported'],
  },
  {
    name: 'models.publish',
    description: 'Versions a run and switches latest.',
    notCacheable: 'it switches latest each time it runs',
    input: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    outputs: ['version'],
  },
];

/** The folders path inputs must stay in, for tests (dsl/paths.ts). */
export const testRoots = { project: '/srv/trainflow', data: '/data/trainflow' };

export const testCatalog: Record<string, ActivitySpec> = Object.fromEntries(specs.map((s) => [s.name, s]));
