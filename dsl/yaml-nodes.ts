// Typed access to yaml's node tree, reporting located errors instead of throwing.
import { isAlias, isMap, isScalar, isSeq, Scalar, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Diagnostics } from './diagnostics';
import { RESERVED_KEYS } from './document-guard';
import { dict } from './expr/values';
import type { PathRoots } from './paths';
import { withSuggestion } from './suggest';

export type YNode = Node | null;

export interface Entry {
  key: string;
  keyNode: Scalar;
  value: YNode;
}

/** Shared state for one compile: the document (for aliases) and the error sink. */
export interface NodeContext {
  doc: Document;
  diag: Diagnostics;
  /** The YAML source, for mapping offsets inside scalars. */
  text: string;
  lineOf(offset: number): number;
  /** The folders paths must stay in, when the caller knows them (see paths.ts). */
  roots?: PathRoots;
}

export function deref(ctx: NodeContext, node: unknown): YNode {
  if (isAlias(node)) {
    const target = node.resolve(ctx.doc) as Node | undefined;
    // yaml resolves an alias only to an anchor defined before it, and says nothing otherwise.
    if (target) return target;
    ctx.diag.at(node, 'invalid-value', `alias '*${node.source}' refers to no anchor defined before it (define '&${node.source}' earlier in the file)`);
    // A null that keeps the alias's place, so follow-on errors point there and not at 1:1.
    const hole = new Scalar(null);
    hole.range = node.range;
    return hole;
  }
  return (node as Node | null | undefined) ?? null;
}

export function kindOf(node: YNode): string {
  if (node === null || isScalar(node)) {
    const v = node === null ? null : node.value;
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
    return typeof v;
  }
  if (isMap(node)) return 'mapping';
  if (isSeq(node)) return 'list';
  return 'value';
}

/** The value a YAML node denotes, as plain JSON. */
export function toJson(ctx: NodeContext, node: YNode): unknown {
  node = deref(ctx, node);
  if (node === null) return null;
  if (isScalar(node)) return node.value ?? null;
  if (isSeq(node)) return node.items.map((item) => toJson(ctx, deref(ctx, item)));
  if (isMap(node)) {
    const out = dict<unknown>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!RESERVED_KEYS.has(key)) out[key] = toJson(ctx, deref(ctx, pair.value)); // reported by guardDocument
    }
    return out;
  }
  return null;
}

export interface EntryOptions {
  /** Keys the mapping may have; others are reported with the closest valid one. */
  allowed?: readonly string[];
  /** What the mapping is, for messages: "stage 'a'", "retry". */
  what: string;
  /** Message for a repeated key (default: duplicate key). */
  duplicate?: (key: string, firstLine: number) => { code: 'duplicate-key' | 'duplicate-stage'; message: string };
}

/** The entries of a mapping; reports non-scalar, duplicate and (if `allowed`) unknown keys. */
export function entries(ctx: NodeContext, map: YAMLMap, opts: EntryOptions): Entry[] {
  const seen = new Map<string, Scalar>();
  const out: Entry[] = [];
  for (const pair of map.items) {
    const keyNode = deref(ctx, pair.key);
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      ctx.diag.at(keyNode, 'type', `keys of ${opts.what} must be plain names`);
      continue;
    }
    const key = String(keyNode.value);
    if (RESERVED_KEYS.has(key)) continue; // reported by guardDocument
    const first = seen.get(key);
    if (first) {
      const firstLine = ctx.lineOf(first.range?.[0] ?? 0);
      const dup = opts.duplicate?.(key, firstLine) ?? { code: 'duplicate-key', message: `duplicate key '${key}' in ${opts.what} (first defined at line ${firstLine})` };
      ctx.diag.at(keyNode, dup.code, dup.message);
      continue;
    }
    seen.set(key, keyNode as Scalar);
    if (opts.allowed && !opts.allowed.includes(key)) {
      ctx.diag.at(keyNode, 'unknown-key', withSuggestion(`unknown key '${key}' in ${opts.what}`, key, opts.allowed));
      continue;
    }
    out.push({ key, keyNode: keyNode as Scalar, value: deref(ctx, pair.value) });
  }
  return out;
}

/** The entries of a mapping without reporting anything (for a second pass over checked nodes). */
export function quietEntries(ctx: NodeContext, map: YAMLMap): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<string>();
  for (const pair of map.items) {
    const keyNode = deref(ctx, pair.key);
    if (!isScalar(keyNode)) continue;
    const key = String(keyNode.value);
    if (RESERVED_KEYS.has(key) || seen.has(key)) continue;
    seen.add(key);
    out.push({ key, keyNode: keyNode as Scalar, value: deref(ctx, pair.value) });
  }
  return out;
}

export function asMap(ctx: NodeContext, node: YNode, what: string): YAMLMap | undefined {
  if (isMap(node)) return node;
  ctx.diag.at(node, 'type', `${what} must be a mapping, got ${describeValue(node)}`);
  return undefined;
}

export function asString(ctx: NodeContext, node: YNode, what: string): string | undefined {
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  ctx.diag.at(node, 'type', `${what} must be a string, got ${describeValue(node)}`);
  return undefined;
}

export function asNumber(ctx: NodeContext, node: YNode, what: string, integer = false): number | undefined {
  if (isScalar(node) && typeof node.value === 'number' && (!integer || Number.isInteger(node.value))) return node.value;
  ctx.diag.at(node, 'type', `${what} must be ${integer ? 'an integer' : 'a number'}, got ${describeValue(node)}`);
  return undefined;
}

export function asBoolean(ctx: NodeContext, node: YNode, what: string): boolean | undefined {
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  ctx.diag.at(node, 'type', `${what} must be true or false, got ${describeValue(node)}`);
  return undefined;
}

export function asSeq(ctx: NodeContext, node: YNode, what: string): YAMLSeq | undefined {
  if (isSeq(node)) return node;
  ctx.diag.at(node, 'type', `${what} must be a list, got ${describeValue(node)}`);
  return undefined;
}

/** A short description of a value for messages: `string 'abc'`, `integer 3`, `a mapping`. */
export function describeValue(node: YNode): string {
  const kind = kindOf(node);
  if (kind === 'mapping' || kind === 'list') return `a ${kind}`;
  if (kind === 'null') return 'nothing (null)';
  const value = (node as Scalar).value;
  const shown = typeof value === 'string' ? `'${value.length > 40 ? value.slice(0, 40) + '…' : value}'` : String(value);
  return `${kind} ${shown}`;
}

export function isStringNode(node: YNode): node is Scalar<string> {
  return isScalar(node) && typeof node.value === 'string';
}
