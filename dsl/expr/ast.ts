// Expression syntax tree. Plain JSON (it travels inside the Plan); `start`/`end` are offsets
// into the expression source, used for located errors.
export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '+' | '-' | '*' | '/' | '%';
export type UnaryOp = '!' | '-';

interface Span {
  start: number;
  end: number;
}

export type Expr =
  | ({ type: 'literal'; value: null | boolean | number | string } & Span)
  | ({ type: 'ident'; name: string } & Span)
  | ({ type: 'member'; object: Expr; property: string } & Span)
  | ({ type: 'index'; object: Expr; index: Expr } & Span)
  | ({ type: 'unary'; op: UnaryOp; operand: Expr } & Span)
  | ({ type: 'binary'; op: BinaryOp; left: Expr; right: Expr } & Span)
  | ({ type: 'call'; name: string; args: Expr[] } & Span)
  | ({ type: 'array'; items: Expr[] } & Span);
