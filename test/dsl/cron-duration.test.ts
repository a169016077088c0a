import { describe, expect, it } from 'vitest';
import { checkCron } from '../../dsl/cron';
import { parseDuration } from '../../dsl/duration';
import { pipelineJsonSchema } from '../../dsl/json-schema';

describe('checkCron', () => {
  it.each(['* * * * *', '15 0 * * *', '*/5 0-6,18-23 1,15 JAN-MAR,dec MON-FRI', '0 0 * * 7', '5/10 * * * SUN', '@daily', '@hourly', '@weekly', '@monthly', '@yearly'])(
    'accepts %s',
    (cron) => expect(checkCron(cron)).toBeUndefined(),
  );

  it.each([
    ['60 * * * *', 'cron minute value 60 is out of range 0-59', 0],
    ['0 0 0 * *', 'cron day-of-month value 0 is out of range 1-31', 4],
    ['0 0 * 13 *', 'cron month value 13 is out of range 1-12', 6],
    ['0 0 * * 8', 'cron day-of-week value 8 is out of range 0-7', 8],
    ['0 0 * * 1,2,9', 'cron day-of-week value 9 is out of range 0-7', 12],
    ['0 0 * * MON-', 'invalid cron day-of-week value', 12],
    ['*/0 * * * *', "cron minute step '0' must be a positive integer", 2],
    ['0 5-1 * * *', "cron hour range '5-1' goes backwards", 2],
    ['0 0 * *', 'cron expression must have 5 fields', 0],
    ['@often', "unknown cron macro '@often'", 0],
  ])('rejects %s', (cron, message, start) => {
    const error = checkCron(cron)!;
    expect(error.message).toContain(message);
    expect(error.start).toBe(start);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['3d', 259_200_000],
    ['1w', 604_800_000],
    ['1.5s', 1_500],
    ['1m30s250ms', 90_250],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toEqual({ ms }));

  it('rejects bad durations with a reason', () => {
    expect(parseDuration('30')).toEqual({ error: "duration '30' needs a unit (e.g. '30s'; units: ms, s, m, h, d, w)" });
    expect(parseDuration('3 days')).toHaveProperty('error');
    expect(parseDuration('30m1h')).toEqual({ error: "invalid duration '30m1h': units must go from largest to smallest, each at most once" });
    expect(parseDuration('-1d')).toHaveProperty('error');
    expect(parseDuration('-1d', true)).toEqual({ ms: -86_400_000 });
  });
});

describe('one duration rule', () => {
  it("the editors' JSON Schema pattern accepts exactly what parseDuration accepts", () => {
    const schema = pipelineJsonSchema({}) as { definitions: { duration: { pattern: string } } };
    const pattern = new RegExp(schema.definitions.duration.pattern);
    const texts = ['1h30m', '1.5h', '30s1h', '1m1m', '500ms', '1m500ms', '5m', '5ms', '1w2d3h4m5s6ms', '', 'ms', '10', '1.h', '.5s', '1h 30m', ' 30s', '2d1w', '0s', '1e3s'];
    for (const text of texts) expect(pattern.test(text), text).toBe('ms' in parseDuration(text));
  });
});
