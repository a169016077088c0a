// yaml's syntax errors as DslErrors, with one plain explanation for the most common cause in
// pipelines: an unquoted ${{ }} inside a flow collection, where YAML reads the braces as a map.
import type { YAMLError } from 'yaml';
import type { Diagnostics } from './diagnostics';

export function reportYamlErrors(diag: Diagnostics, text: string, errors: readonly YAMLError[]): void {
  const explainedLines = new Set<number>();
  for (const e of errors) {
    const lineStart = text.lastIndexOf('\n', e.pos[0] - 1) + 1;
    const lineEnd = text.indexOf('\n', e.pos[0]);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
    const at = unquotedExpressionInFlow(line);
    if (at >= 0) {
      if (!explainedLines.has(lineStart)) {
        explainedLines.add(lineStart);
        diag.atOffsets(lineStart + at, lineStart + at + 3, 'yaml-syntax', 'YAML syntax error: quote ${{ }} inside { } or [ ], e.g. "${{ params.x }}" (unquoted, YAML reads its braces as a mapping)');
      }
      continue;
    }
    if (e.code === 'TAG_RESOLVE_FAILED') {
      const tag = /: (.*)$/.exec(e.message)?.[1] ?? 'tag';
      diag.atOffsets(e.pos[0], e.pos[1], 'yaml-tag', `unknown YAML tag '${tag}': pipelines use plain YAML values (quote the text if '!' is part of it)`);
      continue;
    }
    if (e.code === 'BAD_DIRECTIVE') {
      diag.atOffsets(e.pos[0], e.pos[1], 'yaml-directive', `unknown YAML directive '${line.trim()}': pipelines use none (only %YAML and %TAG exist)`);
      continue;
    }
    diag.atOffsets(e.pos[0], e.pos[1], 'yaml-syntax', `YAML syntax error: ${e.message}`);
  }
}

/** Where a `${{` outside quotes but inside `{`/`[` starts on this line, or -1. */
function unquotedExpressionInFlow(line: string): number {
  let quote: string | undefined;
  let flowDepth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ')) {
      return -1;
    } else if (line.startsWith('${{', i)) {
      if (flowDepth > 0) return i;
      i += 2;
    } else if (c === '{' || c === '[') {
      flowDepth++;
    } else if (c === '}' || c === ']') {
      flowDepth--;
    }
  }
  return -1;
}
