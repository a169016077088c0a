// The JSON Schema (draft-07) of pipeline YAML, for editors: `uses` completes from the catalog
// and each activity's `with:` from its input schema (where any value may also be an expression).
import type { ActivitySpec, JsonSchema } from './activity-spec';
import { RESERVED_KEYS } from './document-guard';
import { DURATION_PATTERN } from './duration';
import { PARAM_TYPES } from './params';
import { OVERLAP_POLICIES } from './schedule';

type Schema = Record<string, unknown>;

const DURATION: Schema = {
  type: 'string',
  pattern: DURATION_PATTERN,
  description: "A duration such as '500ms', '30s', '2m', '1h30m', '3d'.",
};

export function pipelineJsonSchema(catalog: Record<string, ActivitySpec>): Schema {
  const names = Object.keys(catalog).sort();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://trainflow.local/schema/pipeline.schema.json',
    title: 'Trainflow pipeline',
    description: 'A declarative DAG of stages compiled into a Temporal workflow.',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'stages'],
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Pipeline name (letters, digits, . _ -).' },
      description: { type: 'string', description: 'What the pipeline does.' },
      params: {
        type: 'object',
        description: 'Run parameters: `name: { type, default }` or `name: <default>`.',
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', not: { enum: [...RESERVED_KEYS] } },
        additionalProperties: { $ref: '#/definitions/param' },
      },
      defaults: {
        type: 'object',
        description: 'Retry, timeout and cache for every stage; a stage overrides them field by field.',
        additionalProperties: false,
        properties: { retry: { $ref: '#/definitions/retry' }, timeout: { $ref: '#/definitions/timeout' }, cache: { $ref: '#/definitions/cache' } },
      },
      schedule: { $ref: '#/definitions/schedule' },
      stages: {
        type: 'object',
        description: 'Stages keyed by id; they run as soon as their `needs` have completed.',
        minProperties: 1,
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', not: { enum: [...RESERVED_KEYS] } },
        additionalProperties: { $ref: '#/definitions/stage' },
      },
    },
    definitions: {
      cache: {
        type: 'boolean',
        description: 'Reuse the outputs of an earlier successful execution with the same activity type, activity code version and resolved input (`client run --no-cache` forces a run).',
      },
      expression: { type: 'string', pattern: '^\\s*\\$\\{\\{[\\s\\S]*\\}\\}\\s*$', description: 'An expression: ${{ … }}.' },
      duration: DURATION,
      param: {
        description: 'A parameter declaration, or a literal default whose type is inferred (a mapping is always a declaration).',
        anyOf: [
          {
            type: 'object',
            required: ['type'],
            additionalProperties: false,
            properties: {
              type: { enum: PARAM_TYPES, description: 'The parameter type.' },
              default: { description: 'Value used when a run does not set the parameter.' },
              description: { type: 'string' },
              items: { enum: PARAM_TYPES, description: 'Item type of an array parameter.' },
            },
          },
          { type: ['string', 'number', 'boolean', 'array'] },
        ],
      },
      retry: {
        type: 'object',
        description: 'Retry policy (defaults: 3 attempts, 1s initial interval, backoff 2, 1m max interval).',
        additionalProperties: false,
        properties: {
          maxAttempts: { type: 'integer', minimum: 1, description: 'Attempts in total, at least 1.' },
          initialInterval: { ...DURATION, description: 'Wait before the first retry.' },
          backoff: { type: 'number', minimum: 1, description: 'Multiplier of the interval after each retry.' },
          maxInterval: { ...DURATION, description: 'Upper bound of the retry interval.' },
          nonRetryable: { type: 'array', items: { type: 'string' }, description: 'Error types that are never retried.' },
        },
      },
      timeout: {
        type: 'object',
        description: 'Activity timeouts (default: startToClose 10m).',
        additionalProperties: false,
        properties: {
          startToClose: { ...DURATION, description: 'Longest time one attempt may take.' },
          scheduleToClose: { ...DURATION, description: 'Longest time all attempts together may take.' },
          heartbeat: { ...DURATION, description: 'An attempt that does not heartbeat within this time is failed.' },
        },
      },
      schedule: {
        type: 'object',
        description: 'Run the pipeline on a cron schedule.',
        additionalProperties: false,
        required: ['cron'],
        properties: {
          cron: { type: 'string', description: "5-field cron ('15 0 * * *') or @daily, @hourly, @weekly, @monthly, @yearly." },
          timezone: { type: 'string', description: 'IANA time zone (default UTC).' },
          overlap: { enum: OVERLAP_POLICIES, description: 'What to do when a run is still going at the next time (default skip).' },
          catchupWindow: { ...DURATION, description: 'How far back missed runs are caught up.' },
          params: { type: 'object', description: 'Param values for scheduled runs.' },
        },
      },
      stage: {
        type: 'object',
        additionalProperties: false,
        required: ['uses'],
        properties: {
          uses: { enum: names, description: 'The activity type to run.' },
          with: { type: 'object', description: "The activity's inputs; values may be ${{ }} expressions." },
          needs: {
            description: 'Stages that must complete first.',
            anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, uniqueItems: true }],
          },
          forEach: { description: 'Fan out: run once per item (visible as ${{ item }} and ${{ index }} in with).', anyOf: [{ $ref: '#/definitions/expression' }, { type: 'array' }] },
          concurrency: { type: 'integer', minimum: 1, description: 'With forEach: at most this many items run at once (default: all).' },
          cache: { $ref: '#/definitions/cache' },
          when: { description: 'Run only when this expression is true; skipped otherwise.', anyOf: [{ type: 'string' }, { type: 'boolean' }] },
          retry: { $ref: '#/definitions/retry' },
          timeout: { $ref: '#/definitions/timeout' },
          description: { type: 'string' },
        },
        allOf: names.map((name) => ({
          if: { properties: { uses: { const: name } }, required: ['uses'] },
          then: { properties: { with: { ...inputSchema(catalog[name].input), description: catalog[name].description } } },
        })),
      },
    },
  };
}

/** An activity input schema where every value may instead be an expression. */
function inputSchema(schema: JsonSchema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, orExpression(v)]));
    } else if (key === 'items') out.items = orExpression(value as JsonSchema);
    else if (key === 'additionalProperties' && typeof value === 'object') out.additionalProperties = orExpression(value as JsonSchema);
    else if (key === 'oneOf') out.oneOf = (value as JsonSchema[]).map(inputSchema);
    else if (key === 'format' && value === 'path') continue; // Trainflow's own: checked by the compiler (paths.ts)
    else out[key] = value;
  }
  // The compiler rejects unknown inputs unless the activity allows them; so does the editor.
  if (schema.properties && schema.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function orExpression(schema: JsonSchema): Schema {
  return { anyOf: [inputSchema(schema), { $ref: '#/definitions/expression' }], ...(schema.description ? { description: schema.description } : {}) };
}
