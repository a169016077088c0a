// Collects DslErrors, turning source offsets into 1-based line/column with yaml's LineCounter.
import type { LineCounter, Node } from 'yaml';
import type { DslError, DslErrorCode } from './errors';

/** Thrown once `maxErrors` errors are collected; compilePipeline stops there. */
export class TooManyErrors extends Error {}

const MAX_MESSAGE = 500;

export class Diagnostics {
  readonly errors: DslError[] = [];

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly maxErrors = Infinity,
  ) {}

  atOffsets(start: number, end: number, code: DslErrorCode, message: string): void {
    const from = this.lines.linePos(start);
    const to = this.lines.linePos(Math.max(end, start));
    // A message quotes names from the file, which may be megabytes long.
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
    this.errors.push({ file: this.file, line: from.line, col: from.col, endLine: to.line, endCol: to.col, code, message: text });
    if (this.errors.length >= this.maxErrors) throw new TooManyErrors();
  }

  /** At a node's value (its range up to the end of the value, excluding comments). */
  at(node: Node | null | undefined, code: DslErrorCode, message: string): void {
    const [start, end] = node?.range ?? [0, 0];
    this.atOffsets(start, end, code, message);
  }

  /** After TooManyErrors: the errors so far, and one that says the compiler stopped there. */
  stopped(): DslError[] {
    const errors = this.sorted();
    const last = errors[errors.length - 1];
    return [...errors, { ...last, code: 'too-many-errors', message: `stopped after ${this.maxErrors} errors` }];
  }

  /** Errors in source order, each once (the order passes found them in means nothing to a reader). */
  sorted(): DslError[] {
    const seen = new Set<string>();
    const unique = this.errors.filter((e) => {
      const key = `${e.line}:${e.col}:${e.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    return unique.sort((a, b) => a.line - b.line || a.col - b.col);
  }
}
