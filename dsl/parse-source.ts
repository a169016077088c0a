// Pipeline text → a YAML document every pass can walk safely, or located errors: the size and
// nesting limits are checked before yaml parses anything, aliases and reserved keys after.
import { Composer, LineCounter, Parser, YAMLParseError, type Document } from 'yaml';
import { Diagnostics, TooManyErrors } from './diagnostics';
import { guardDocument } from './document-guard';
import type { DslError } from './errors';
import { formatBytes, utf8Length, type Limits } from './limits';
import { nestingExceeds } from './nesting-scan';
import { reportYamlErrors } from './yaml-errors';

export type ParsedSource = { ok: true; doc: Document; lines: LineCounter; diag: Diagnostics } | { ok: false; errors: DslError[] };

export function parseSource(text: string, file: string, limits: Limits): ParsedSource {
  // Every character is at least one byte: a long string is refused without counting.
  const bytes = text.length > limits.maxSourceBytes ? text.length : utf8Length(text);
  if (bytes > limits.maxSourceBytes) return { ok: false, errors: [sourceTooLarge(file, bytes, limits)] };
  // yaml's parser is slow on very deep input, so this is estimated first (and checked exactly after).
  const deep = nestingExceeds(text, limits.maxDepth * 2);
  if (deep) return { ok: false, errors: [tooDeep(file, deep.line, deep.col, limits)] };

  const lines = new LineCounter();
  const diag = new Diagnostics(file, lines, limits.maxErrors);
  const doc = parseOne(text, lines);
  try {
    // yaml only warns about unknown tags and directives and then drops them: in a pipeline the
    // value would silently differ from what its author meant, so they are errors here.
    const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED' || w.code === 'BAD_DIRECTIVE')];
    if (problems.length > 0) {
      reportYamlErrors(diag, text, problems);
      return { ok: false, errors: diag.sorted() };
    }
    if (!guardDocument(doc, diag, limits)) return { ok: false, errors: diag.sorted() };
  } catch (e) {
    if (!(e instanceof TooManyErrors)) throw e;
    return { ok: false, errors: diag.stopped() };
  }
  return { ok: true, doc, lines, diag };
}

/** yaml's parseDocument, but over the one parser run whose lines were counted. */
function parseOne(text: string, lines: LineCounter): Document {
  const composer = new Composer({ uniqueKeys: false, prettyErrors: false });
  let doc: Document | undefined;
  for (const d of composer.compose(new Parser(lines.addNewLine).parse(text), true, text.length)) {
    if (!doc) doc = d;
    else {
      doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'a pipeline file holds one YAML document (found a second one)'));
      break;
    }
  }
  return doc!;
}

export function sourceTooLarge(file: string, bytes: number, limits: Limits): DslError {
  const message = `pipeline is ${formatBytes(bytes)}, over the ${formatBytes(limits.maxSourceBytes)} limit for a pipeline file`;
  return { file, line: 1, col: 1, endLine: 1, endCol: 1, code: 'too-large', message };
}

function tooDeep(file: string, line: number, col: number, limits: Limits): DslError {
  return { file, line, col, endLine: line, endCol: col + 1, code: 'too-deep', message: `nesting is deeper than ${limits.maxDepth} levels of mappings and lists` };
}
