/** An expression error located by offsets into the expression source. */
export class ExprError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
    this.name = 'ExprError';
  }
}

/** Member names that could reach an object's prototype: refused at parse and at evaluation. */
export const FORBIDDEN_MEMBERS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
