import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../dsl';
import type { Plan } from '../../dsl/plan';

const plan = {
  name: 'p',
  params: {
    symbols: { type: 'array', items: 'string', required: false, default: ['BTCUSDT'] },
    days: { type: 'integer', required: false, default: 90 },
    day: { type: 'date', required: true },
  },
} as unknown as Plan;

describe('resolveParams', () => {
  it('fills defaults and coerces command-line text', () => {
    expect(resolveParams(plan, { day: '2024-03-10', days: '3', symbols: 'A,B' })).toEqual({
      values: { day: '2024-03-10', days: 3, symbols: ['A', 'B'] },
      errors: [],
    });
  });

  it('reports unknown, missing and impossible values', () => {
    expect(resolveParams(plan, { constructor: 1 }).errors).toEqual([
      "unknown param 'constructor' (pipeline 'p' has: symbols, days, day)",
      "param 'day' is required (type date) and has no default",
    ]);
    expect(resolveParams(plan, { day: '2023-02-30' }).errors).toEqual(["param 'day' must be a date (YYYY-MM-DD, or a date-time with a zone such as 2024-04-01T00:00:00Z), got '2023-02-30'"]);
    expect(resolveParams(plan, { day: '2023-04-01T23:00:00-05:00' }).errors).toEqual([]);
  });

  it('keeps command-line text that YAML would read as a tag or an alias', () => {
    const withText = { ...plan, params: { ...plan.params, note: { type: 'string', required: false, default: '' } } } as unknown as Plan;
    expect(resolveParams(withText, { day: '2024-03-10', note: '!important' }).values.note).toBe('!important');
    expect(resolveParams(withText, { day: '2024-03-10', note: '*star' }).values.note).toBe('*star');
  });
});
