// A small argv reader: positionals, `--flag`, `--key value` / `--key=value`, repeatable --param.
export interface Args {
  positionals: string[];
  flags: Record<string, string | true>;
  params: Record<string, string>;
}

export function parseArgs(argv: string[]): Args {
  const out: Args = { positionals: [], flags: {}, params: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const next = argv[i + 1];
    const value = eq > 0 ? a.slice(eq + 1) : next !== undefined && !next.startsWith('--') && key !== 'json' && key !== 'mermaid' && key !== 'no-follow' ? (i++, next) : true;
    if (key === 'param' || key === 'p') {
      if (value === true || !value.includes('=')) throw new Error(`--param needs key=value, got ${value === true ? 'nothing' : `'${value}'`}`);
      const k = value.slice(0, value.indexOf('='));
      out.params[k] = value.slice(value.indexOf('=') + 1);
    } else {
      out.flags[key] = value;
    }
  }
  return out;
}
