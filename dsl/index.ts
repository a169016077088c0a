// The DSL's public API: compile pipeline YAML to a Plan and show it. Pure (no I/O).
export { compilePipeline, planHash } from './compile';
export type { CompileOptions, CompileResult } from './compile';
export { formatError } from './errors';
export type { DslError, DslErrorCode } from './errors';
export { describePlan } from './describe';
export { planToMermaid } from './mermaid';
export { pipelineJsonSchema } from './json-schema';
export { parseDuration } from './duration';
export { resolveParams } from './resolve-params';
export type { ResolvedParams } from './resolve-params';
export { sha256Hex, canonicalJson } from './hash';
export type * from './plan';
