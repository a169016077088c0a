import type { ActivitySpec } from '../../dsl/activity-spec';

export const coreSpecs: ActivitySpec[] = [
  {
    name: 'core.echo',
    description: 'Returns its input: for wiring and testing expressions.',
    input: {
      type: 'object',
      properties: {
        message: { type: 'string', description: 'Text to return as outputs.message' },
        value: { description: 'Any JSON value, returned as outputs.value' },
      },
      additionalProperties: false,
    },
    outputs: ['message', 'value'],
  },
  {
    name: 'core.sleep',
    description: 'Waits, heartbeating; returns when it started and finished (ms since epoch).',
    input: {
      type: 'object',
      properties: {
        ms: { type: 'integer', minimum: 0, maximum: 86_400_000, description: 'How long to wait' },
        checkSignal: { type: 'boolean', default: true, description: 'Stop when the cancel signal aborts (false: only heartbeat, as a computation that reports progress)' },
        ignoreCancel: { type: 'boolean', description: 'Neither heartbeat nor stop when cancelled (for testing activities that do not cooperate)' },
      },
      required: ['ms'],
      additionalProperties: false,
    },
    outputs: ['startedAt', 'finishedAt'],
  },
  {
    name: 'core.fail',
    description: 'Fails its first `failTimes` attempts (all of them if omitted): for testing retry paths.',
    input: {
      type: 'object',
      properties: {
        message: { type: 'string', description: 'The error message' },
        failTimes: { type: 'integer', minimum: 0, description: 'Attempts that fail before one succeeds' },
        errorType: { type: 'string', description: 'The error type (match it in retry.nonRetryable)' },
      },
      required: ['message'],
      additionalProperties: false,
    },
    outputs: ['attempts'],
  },
  {
    name: 'core.noop',
    description: 'Does nothing: for measuring the engine itself.',
    input: { type: 'object', properties: { index: { type: 'integer' } }, additionalProperties: false },
    outputs: [],
  },
];
