// The expression language: imported by the workflow bundle, so pure (no node builtins, no yaml).
export type { Expr, BinaryOp, UnaryOp } from './ast';
export { ExprError } from './errors';
export { parseExpression } from './parser';
export { evaluate } from './evaluator';
export { isTruthy } from './values';
export { renderTemplate, parseTemplateString, hasExpression } from './template';
export type { TemplateError, TemplatePart } from './template';
