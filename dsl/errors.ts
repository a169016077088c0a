// Located compile errors and their one-line, gcc-style rendering.

export interface DslError {
  file: string;
  /** 1-based start of the offending token. */
  line: number;
  col: number;
  /** 1-based, exclusive: the position just after the token. */
  endLine: number;
  endCol: number;
  code: DslErrorCode;
  message: string;
}

export type DslErrorCode =
  | 'yaml-syntax'
  | 'yaml-tag'
  | 'yaml-directive'
  | 'duplicate-key'
  | 'duplicate-stage'
  | 'unknown-key'
  | 'missing-key'
  | 'type'
  | 'invalid-value'
  | 'unknown-activity'
  | 'input-schema'
  | 'unknown-stage'
  | 'self-dependency'
  | 'cycle'
  | 'unknown-param'
  | 'unknown-name'
  | 'unknown-output'
  | 'not-upstream'
  | 'item-outside-foreach'
  | 'expr-syntax'
  | 'duration'
  | 'cron'
  | 'timezone'
  | 'param-type'
  | 'range'
  | 'too-large'
  | 'too-deep'
  | 'alias'
  | 'reserved-name'
  | 'too-many-errors';

export function formatError(e: DslError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message.replace(/\s*\n\s*/g, ' ')}`;
}
