// Tokenizer for `${{ }}` expressions.
import { describeChar } from '../lookalike';
import { ExprError } from './errors';

export type TokenKind = 'number' | 'string' | 'ident' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The punctuator or identifier text; the decoded value for strings and numbers. */
  value: string | number;
  start: number;
  end: number;
}

const PUNCTUATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', '.', ','];

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (isDigit(c)) {
      i = readNumber(src, i, tokens);
    } else if (c === "'" || c === '"') {
      i = readString(src, i, tokens);
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < src.length && isIdentPart(src[i])) i++;
      tokens.push({ kind: 'ident', value: src.slice(start, i), start, end: i });
    } else {
      const punct = PUNCTUATORS.find((p) => src.startsWith(p, i));
      if (!punct) {
        const hint = c === '=' ? " (use '==' to compare)" : c === '&' || c === '|' ? ` (use '${c}${c}')` : '';
        const ch = String.fromCodePoint(src.codePointAt(i)!);
        throw new ExprError(`unexpected character ${ch > '~' ? describeChar(ch) : `'${c}'`}${hint}`, i, i + ch.length);
      }
      tokens.push({ kind: 'punct', value: punct, start: i, end: i + punct.length });
      i += punct.length;
    }
  }
  tokens.push({ kind: 'eof', value: '', start: src.length, end: src.length });
  return tokens;
}

function readNumber(src: string, start: number, tokens: Token[]): number {
  let i = start;
  while (i < src.length && isDigit(src[i])) i++;
  if (src[i] === '.' && isDigit(src[i + 1] ?? '')) {
    i++;
    while (i < src.length && isDigit(src[i])) i++;
  }
  if ((src[i] === 'e' || src[i] === 'E') && /[0-9+-]/.test(src[i + 1] ?? '')) {
    i += 2;
    while (i < src.length && isDigit(src[i])) i++;
  }
  if (i < src.length && isIdentStart(src[i])) throw new ExprError(`invalid number '${src.slice(start, i + 1)}'`, start, i + 1);
  tokens.push({ kind: 'number', value: Number(src.slice(start, i)), start, end: i });
  return i;
}

function readString(src: string, start: number, tokens: Token[]): number {
  const quote = src[start];
  let i = start + 1;
  let value = '';
  while (i < src.length && src[i] !== quote) {
    if (src[i] === '\\' && i + 1 < src.length) {
      const next = src[i + 1];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
    } else {
      value += src[i++];
    }
  }
  if (i >= src.length) throw new ExprError('unterminated string', start, src.length);
  tokens.push({ kind: 'string', value, start, end: i + 1 });
  return i + 1;
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentPart = (c: string) => isIdentStart(c) || isDigit(c);
