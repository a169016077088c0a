import { describe, expect, it } from 'vitest';
import { coerceParam, resolveParams } from '../../dsl';
import type { PlanParam } from '../../dsl/plan';

const declared: Record<string, PlanParam> = {
  symbols: { type: 'array', items: 'string', required: false, default: ['BTCUSDT'] },
  days: { type: 'integer', required: false, default: 90 },
  day: { type: 'date', required: true },
  window: { type: 'duration', required: false, default: '1h' },
};

describe('resolveParams', () => {
  it('fills defaults and keeps given values', () => {
    expect(resolveParams(declared, { day: '2024-03-10', days: 3 })).toEqual({
      values: { day: '2024-03-10', days: 3, symbols: ['BTCUSDT'], window: '1h' },
      errors: [],
    });
  });

  it('reports unknown, missing and mistyped params', () => {
    expect(resolveParams(declared, { dayz: 1, days: 2.5, window: '10', symbols: ['A', 1] }).errors).toEqual([
      "unknown param 'dayz'. Did you mean 'days'?",
      "param 'days' must be an integer, got number 2.5",
      "param 'window' must be a duration such as '30s', got string \"10\"",
      "param 'symbols' item 1 must be a string, got number 1",
      "param 'day' is required (date)",
    ]);
  });
});

describe('coerceParam', () => {
  it('turns command-line text into typed values', () => {
    expect(coerceParam('3', { type: 'integer' })).toEqual({ value: 3 });
    expect(coerceParam('true', { type: 'boolean' })).toEqual({ value: true });
    expect(coerceParam('BTCUSDT,ETHUSDT', { type: 'array', items: 'string' })).toEqual({ value: ['BTCUSDT', 'ETHUSDT'] });
    expect(coerceParam('[1,2]', { type: 'array', items: 'integer' })).toEqual({ value: [1, 2] });
    expect(coerceParam('{"a":1}', { type: 'object' })).toEqual({ value: { a: 1 } });
    expect(coerceParam('x', { type: 'number' })).toEqual({ error: "must be a number, got 'x'" });
    expect(coerceParam('2024-13-01', { type: 'date' })).toHaveProperty('error');
  });
});
