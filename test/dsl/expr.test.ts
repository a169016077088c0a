import { describe, expect, it } from 'vitest';
import { evaluate, ExprError, parseExpression, parseTemplateString, renderTemplate } from '../../dsl/expr';
import { testScope } from './scope';

const run = (src: string, scope = testScope()) => evaluate(parseExpression(src), scope);

function parseError(src: string): { message: string; start: number } {
  try {
    parseExpression(src);
  } catch (e) {
    if (e instanceof ExprError) return { message: e.message, start: e.start };
    throw e;
  }
  throw new Error(`expected '${src}' not to parse`);
}

describe('precedence and operators', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 * 6 / 3 % 3', 1],
    ['-2 * -3', 6],
    ['!true || true', true],
    ['!(true || true)', false],
    ['1 < 2 == 2 > 1', true],
    ['false && 1 / 0 == 1', false],
    ['true || 1 / 0', true],
    ['1 + 2 < 4 && 3 >= 3', true],
    ["'a' + 1 + 2", 'a12'],
    ['1 + 2 + \'a\'', '3a'],
    ["'abc' < 'abd'", true],
    ['[1, 2] == [1, 2]', true],
    ['null == params.missing', true],
    ['params.nothing == null', true],
    ['params.n % 2 != 0', true],
    ['0 || 5', 5],
    ["'' && 1", ''],
  ])('%s → %j', (src, expected) => {
    expect(run(src)).toEqual(expected);
  });

  it('keeps value types', () => {
    expect(run('params.symbols')).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(run('params.n')).toBe(3);
    expect(run('params.flag')).toBe(false);
    expect(run('1.5e3')).toBe(1500);
    expect(run('"dq\\"s"')).toBe('dq"s');
  });

  it('refuses operations on mismatched types', () => {
    expect(() => run("1 < 'a'")).toThrow(/cannot compare number and string/);
    expect(() => run('params.symbols - 1')).toThrow(/cannot subtract array and number/);
    expect(() => run('1 / 0')).toThrow(/division by zero/);
    expect(() => run("-'a'")).toThrow(/cannot negate string/);
  });
});

describe('member access', () => {
  it('reads nested members, indexes and stage outputs', () => {
    expect(run('params.nested.a.b')).toBe(7);
    expect(run("params['nested']['a'].b")).toBe(7);
    expect(run('params.symbols[1]')).toBe('ETHUSDT');
    expect(run('params.symbols[params.n - 2]')).toBe('ETHUSDT');
    expect(run('stages.fetch.outputs.files[0]')).toBe('a.csv');
    expect(run('stages.fetch.status')).toBe('completed');
    expect(run('run.logicalDate')).toBe('2024-03-10');
  });

  it('reads missing members as null instead of throwing', () => {
    expect(run('params.missing')).toBeNull();
    expect(run('params.missing.deeper.still')).toBeNull();
    expect(run('params.symbols[5]')).toBeNull();
    expect(run('params.symbols[-1]')).toBeNull();
    expect(run('params.n.x')).toBeNull();
    expect(run('stages.nope.outputs.x')).toBeNull();
    expect(run('item')).toBeNull();
  });

  it('never reaches prototypes', () => {
    expect(parseError('params.__proto__')).toEqual({ message: "access to '__proto__' is not allowed", start: 7 });
    expect(parseError('params.constructor').message).toMatch(/constructor/);
    expect(parseError("params['prototype']").message).toMatch(/prototype/);
    expect(() => run("params[format('__{0}__', 'proto')]")).toThrow(/access to '__proto__' is not allowed/);
    expect(() => run("params[join(['constr', 'uctor'], '')]")).toThrow(/not allowed/);
    expect(run('params.toString')).toBeNull();
    expect(run('params.hasOwnProperty')).toBeNull();
    expect(run("fromJSON('{\"__proto__\": {\"x\": 1}}').x")).toBeNull();
  });
});

describe('functions', () => {
  it.each([
    ['length(params.symbols)', 2],
    ["length('abc')", 3],
    ['length(params.nested)', 1],
    ['length(null)', 0],
    ["contains(params.symbols, 'ETHUSDT')", true],
    ["contains('hello', 'ell')", true],
    ["startsWith(params.name, 'b')", true],
    ["endsWith(params.name, 'x')", false],
    ['join(params.symbols)', 'BTCUSDT,ETHUSDT'],
    ["join(params.symbols, ' | ')", 'BTCUSDT | ETHUSDT'],
    ["format('{0}-{1}-{0}', 'a', 2)", 'a-2-a'],
    ["format('{{literal}} {0}', 1)", '{literal} 1'],
    ['toJSON(params.nested)', '{"a":{"b":7}}'],
    ["fromJSON('[1, 2]')", [1, 2]],
    ["dateAdd('2024-02-28', '1d')", '2024-02-29'],
    ["dateAdd('2024-03-01', '-1d')", '2024-02-29'],
    ["dateAdd('2024-03-10', '1h30m')", '2024-03-10T01:30:00.000Z'],
    ["dateAdd('2024-03-10T23:00:00Z', '2h')", '2024-03-11T01:00:00.000Z'],
    ["dateFormat('2024-03-10T05:06:07Z', 'YYYY/MM/DD HH:mm:ss')", '2024/03/10 05:06:07'],
    ["dateFormat(run.startedAt, 'YYYY-MM-DD')", '2024-03-11'],
    ['coalesce(params.missing, null, 0, 1)', 0],
    ['range(3)', [0, 1, 2]],
    ['range(2, 4)', [2, 3]],
  ])('%s → %j', (src, expected) => {
    expect(run(src)).toEqual(expected);
  });

  it('reports bad arguments with the function name', () => {
    expect(() => run("dateAdd('yesterday', '1d')")).toThrow("dateAdd() got an invalid ISO date 'yesterday'");
    expect(() => run("dateAdd('2024-01-01', 'soon')")).toThrow(/dateAdd\(\): invalid duration 'soon'/);
    expect(() => run("fromJSON('{')")).toThrow(/fromJSON\(\) got invalid JSON/);
    expect(() => run('join(1)')).toThrow('join() expects an array, got number');
    expect(() => run("format('{2}', 1)")).toThrow(/no argument \{2\}/);
    expect(() => run('range(1000000)')).toThrow(/limited/);
  });

  it('checks names and arity at parse time', () => {
    expect(parseError('lenght(params.symbols)')).toEqual({ message: "unknown function 'lenght'. Did you mean 'length'?", start: 0 });
    expect(parseError("contains('a')").message).toBe('contains() takes 2 arguments, got 1');
    expect(parseError('format()').message).toBe('format() takes at least 1 argument, got 0');
    expect(parseError('params.x(1)').message).toBe('only built-in functions can be called');
  });
});

describe('syntax errors carry positions', () => {
  it.each([
    ['1 +', 'unexpected end of expression', 3],
    ['a = b', "unexpected character '=' (use '==' to compare)", 2],
    ['a & b', "unexpected character '&' (use '&&')", 2],
    ["'open", 'unterminated string', 0],
    ['(1 + 2', "expected ')' but found end of expression", 6],
    ['[1, 2', "expected ']' but found end of expression", 5],
    ['params.', "expected a member name after '.' but found end of expression", 7],
    ['1 2', "unexpected '2'", 2],
    ['12abc', "invalid number '12a'", 0],
    ['', 'empty expression', 0],
    ['params.n #', "unexpected character '#'", 9],
  ])('%j', (src, message, start) => {
    expect(parseError(src)).toEqual({ message, start });
  });
});

describe('templates', () => {
  const template = (text: string) => {
    const { template: t, errors } = parseTemplateString(text);
    expect(errors).toEqual([]);
    return t!;
  };

  it('keeps the type of a string that is exactly one expression', () => {
    const t = template('${{ params.symbols }}');
    expect(t.kind).toBe('expr');
    expect(renderTemplate(t, testScope())).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(renderTemplate(template('  ${{ params.n }} '), testScope())).toBe(3);
  });

  it('interpolates into a string otherwise', () => {
    const t = template('day ${{ run.logicalDate }}: ${{ params.n * 2 }} ${{ params.missing }}|${{ params.nested }}');
    expect(t.kind).toBe('interpolate');
    expect(renderTemplate(t, testScope())).toBe('day 2024-03-10: 6 |{"a":{"b":7}}');
  });

  it('leaves plain strings literal and finds }} only outside quotes', () => {
    expect(template('no expression')).toEqual({ kind: 'literal', value: 'no expression' });
    expect(renderTemplate(template("${{ format('{{0}}', 1) }}"), testScope())).toBe('{0}');
  });

  it('sees item and index inside forEach', () => {
    const t = template('${{ item }}#${{ index }}');
    expect(renderTemplate(t, testScope({ item: 'ETHUSDT', index: 1 }))).toBe('ETHUSDT#1');
  });

  it('reports errors at their offset in the string', () => {
    expect(parseTemplateString('ab ${{ 1 + }}').errors).toEqual([{ message: 'unexpected end of expression', start: 10, end: 11 }]);
    expect(parseTemplateString('ab ${{ params.n').errors[0]).toMatchObject({ message: "unterminated '${{' (missing '}}')", start: 3 });
  });

  it('names the failing expression in run-time errors', () => {
    expect(() => renderTemplate(template('x ${{ 1 / (params.n - 3) }}'), testScope())).toThrow('division by zero in ${{ 1 / (params.n - 3) }}');
  });

  it('renders nested object and array templates', () => {
    const t = {
      kind: 'object' as const,
      entries: { list: { kind: 'array' as const, items: [template('${{ params.n }}'), { kind: 'literal' as const, value: 'x' }] } },
    };
    expect(renderTemplate(t, testScope())).toEqual({ list: [3, 'x'] });
  });
});
