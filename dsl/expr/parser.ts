// Recursive-descent parser. Precedence, loosest first:
//   ||  →  &&  →  == !=  →  < <= > >=  →  + -  →  * / %  →  unary ! -  →  postfix . [] ()
import type { BinaryOp, Expr } from './ast';
import { ExprError, FORBIDDEN_MEMBERS } from './errors';
import { FUNCTIONS } from './functions';
import { tokenize, type Token } from './lexer';
import { withSuggestion } from '../suggest';
import { MAX_EXPR_DEPTH } from '../limits';

const LEVELS: BinaryOp[][] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];

export function parseExpression(src: string): Expr {
  if (src.trim() === '') throw new ExprError('empty expression', 0, src.length);
  const parser = new Parser(tokenize(src));
  const expr = parser.binary(0);
  const rest = parser.peek();
  if (rest.kind !== 'eof') throw new ExprError(`unexpected ${describe(rest)}`, rest.start, rest.end);
  return expr;
}

class Parser {
  private pos = 0;
  /** Open sub-expressions, and the depth of each node built (evaluation recurses that deep). */
  private nesting = 0;
  private readonly depths = new WeakMap<Expr, number>();
  constructor(private readonly tokens: Token[]) {}

  /** Records a node's depth; refuses it past MAX_EXPR_DEPTH. */
  private node<E extends Expr>(expr: E, ...children: Expr[]): E {
    let depth = 1;
    for (const c of children) depth = Math.max(depth, 1 + (this.depths.get(c) ?? 1));
    if (depth > MAX_EXPR_DEPTH) throw new ExprError(`expression is nested more than ${MAX_EXPR_DEPTH} levels deep`, expr.start, expr.end);
    this.depths.set(expr, depth);
    return expr;
  }

  /** A nested sub-expression: parentheses, brackets, arguments, unary operands. */
  private nested<T>(at: Token, parse: () => T): T {
    if (++this.nesting > MAX_EXPR_DEPTH) throw new ExprError(`expression is nested more than ${MAX_EXPR_DEPTH} levels deep`, at.start, at.end);
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private isPunct(value: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === value;
  }

  private expect(value: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== value) throw new ExprError(`expected '${value}' but found ${describe(t)}`, t.start, t.end);
    return t;
  }

  binary(level: number): Expr {
    if (level === LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      const op = LEVELS[level].find((o) => t.kind === 'punct' && t.value === o);
      if (!op) return left;
      this.next();
      const right = this.binary(level + 1);
      left = this.node({ type: 'binary', op, left, right, start: left.start, end: right.end }, left, right);
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.value === '!' || t.value === '-')) {
      this.next();
      const operand = this.nested(t, () => this.unary());
      return this.node({ type: 'unary', op: t.value, operand, start: t.start, end: operand.end }, operand);
    }
    return this.postfix(this.primary());
  }

  private postfix(expr: Expr): Expr {
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'ident') throw new ExprError(`expected a member name after '.' but found ${describe(name)}`, name.start, name.end);
        const property = String(name.value);
        if (FORBIDDEN_MEMBERS.has(property)) throw new ExprError(`access to '${property}' is not allowed`, name.start, name.end);
        expr = this.node({ type: 'member', object: expr, property, start: expr.start, end: name.end }, expr);
      } else if (this.isPunct('[')) {
        const open = this.next();
        const index = this.nested(open, () => this.binary(0));
        const close = this.expect(']');
        if (index.type === 'literal' && typeof index.value === 'string' && FORBIDDEN_MEMBERS.has(index.value)) {
          throw new ExprError(`access to '${index.value}' is not allowed`, index.start, index.end);
        }
        expr = this.node({ type: 'index', object: expr, index, start: expr.start, end: close.end }, expr, index);
      } else if (this.isPunct('(')) {
        const t = this.peek();
        throw new ExprError('only built-in functions can be called', expr.start, t.end);
      } else {
        return expr;
      }
    }
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
      case 'string':
        return { type: 'literal', value: t.value, start: t.start, end: t.end };
      case 'ident':
        return this.identifier(t);
      case 'punct':
        if (t.value === '(') {
          const inner = this.nested(t, () => this.binary(0));
          this.expect(')');
          return inner;
        }
        if (t.value === '[') return this.arrayLiteral(t);
        break;
    }
    throw new ExprError(`unexpected ${describe(t)}`, t.start, t.end);
  }

  private identifier(t: Token): Expr {
    const name = String(t.value);
    if (name === 'true' || name === 'false') return { type: 'literal', value: name === 'true', start: t.start, end: t.end };
    if (name === 'null') return { type: 'literal', value: null, start: t.start, end: t.end };
    if (!this.isPunct('(')) return { type: 'ident', name, start: t.start, end: t.end };
    const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) throw new ExprError(withSuggestion(`unknown function '${name}'`, name, Object.keys(FUNCTIONS)), t.start, t.end);
    const open = this.next();
    const args = this.nested(open, () => this.list(')'));
    const close = this.tokens[this.pos - 1];
    const [min, max] = fn.arity;
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      const plural = (max === Infinity ? min : max) === 1 ? '' : 's';
      throw new ExprError(`${name}() takes ${expected} argument${plural}, got ${args.length}`, t.start, close.end);
    }
    return this.node({ type: 'call', name, args, start: t.start, end: close.end }, ...args);
  }

  private arrayLiteral(open: Token): Expr {
    const items = this.nested(open, () => this.list(']'));
    return this.node({ type: 'array', items, start: open.start, end: this.tokens[this.pos - 1].end }, ...items);
  }

  /** Comma-separated expressions up to and including `close`. */
  private list(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.isPunct(close)) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.binary(0));
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      this.expect(close);
      return items;
    }
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of expression';
  if (t.kind === 'string') return `string '${t.value}'`;
  return `'${t.value}'`;
}
