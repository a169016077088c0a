// One param-type table (dsl/param-types.ts): for every type, a value written as a YAML default
// and the same text given as `--param` are accepted or refused together, with the same value.
// The outcomes are golden: test/dsl/param-types.expected (UPDATE_GOLDEN=1 rewrites it).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline, formatError, resolveParams } from '../../dsl';
import { testCatalog } from './catalog';

const CASES: Array<[type: string, text: string]> = [
  ['string', 'abc'],
  ['number', '1.5'],
  ['number', '-2e3'],
  ['number', '0x10'],
  ['number', 'abc'],
  ['number', '.nan'],
  ['integer', '3'],
  ['integer', '3.5'],
  ['integer', 'abc'],
  ['integer', '9007199254740993'],
  ['boolean', 'true'],
  ['boolean', 'TRUE'],
  ['boolean', 'yes'],
  ['date', '2024-02-29'],
  ['date', '2023-02-29'],
  ['date', '2024-04-01T12:00:00Z'],
  ['date', '2024-04-01T12:00:00.250+02:00'],
  ['date', '2024-04-01T12:00:00'],
  ['date', '2024-04-01T25:00:00Z'],
  ['duration', '1h30m'],
  ['duration', '1.5h'],
  ['duration', '250ms'],
  ['duration', '30s1h'],
  ['duration', '10'],
  ['duration', '1h 30m'],
  ['array of integer', '[1, 2]'],
  ['array of integer', '[1, x]'],
  ['array of string', '[BTCUSDT, ETHUSDT]'],
  ['array of date', '[2024-01-01, 2024-13-01]'],
  ['object', '{a: 1, b: [x]}'],
  ['object', '{"__proto__": 1}'],
  ['object', '[1]'],
];

function declaration(type: string): string {
  const [base, items] = type.split(' of ');
  return items ? `type: ${base}, items: ${items}` : `type: ${base}`;
}

function viaYaml(type: string, text: string): { ok: boolean; value?: unknown; shown: string } {
  const yaml = `name: t\nparams:\n  p: { ${declaration(type)}, default: ${text} }\nstages:\n  a: { uses: core.echo, with: { message: a } }\n`;
  const { plan, errors } = compilePipeline(yaml, { file: 't.yaml', catalog: testCatalog });
  if (!plan) return { ok: false, shown: errors.map((e) => formatError(e).replace(/^t\.yaml:\d+:\d+: /, '')).join('; ') };
  // A scheduled run passes the YAML value through resolveParams as a value, not text.
  const again = resolveParams(plan, { p: plan.params.p.default });
  expect(again.errors).toEqual([]);
  return { ok: true, value: plan.params.p.default, shown: `ok ${JSON.stringify(plan.params.p.default)}` };
}

function viaCli(type: string, text: string): { ok: boolean; value?: unknown; shown: string } {
  const [base, items] = type.split(' of ');
  const plan = { name: 't', params: { p: { type: base, items, required: true } } } as never;
  const { values, errors } = resolveParams(plan, { p: text });
  return errors.length ? { ok: false, shown: errors.join('; ') } : { ok: true, value: values.p, shown: `ok ${JSON.stringify(values.p)}` };
}

describe('one param-type table', () => {
  it('YAML defaults and --param text agree for every type (golden: param-types.expected)', () => {
    const lines: string[] = [];
    for (const [type, text] of CASES) {
      const yaml = viaYaml(type, text);
      const cli = viaCli(type, text);
      lines.push(`${type} | ${text}\n  default: ${yaml.shown}\n  --param: ${cli.shown}`);
      expect(cli.ok, `${type} ${text}: YAML ${yaml.shown} / CLI ${cli.shown}`).toBe(yaml.ok);
      if (yaml.ok) expect(cli.value).toEqual(yaml.value);
    }
    const actual = lines.join('\n') + '\n';
    const file = join(__dirname, 'param-types.expected');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
    expect(existsSync(file), `${file} is missing (run with UPDATE_GOLDEN=1)`).toBe(true);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
