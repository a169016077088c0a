// Checks of the parsed YAML before any pass reads it: how far aliases expand (a "billion laughs"
// file is a few hundred bytes that expand to millions of nodes), how deeply the document nests
// once aliases are expanded, aliases that contain themselves, and keys that are names of
// JavaScript object internals. Every later pass may then recurse and follow aliases safely.
import { isAlias, isCollection, isPair, isScalar, type Document, type Node } from 'yaml';
import type { Diagnostics } from './diagnostics';
import { formatBytes, type Limits } from './limits';

/** Keys that would reach an object's prototype if they ever became property names. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const reservedMessage = (name: string) => `'${name}' cannot be a key or id: it names a JavaScript object's internals`;

interface Weight {
  /** Size of the node with its aliases expanded (see Limits.maxAliasBytes). */
  bytes: number;
  /** Aliases expanded inside it. */
  aliases: number;
  /** Nesting depth of collections, 0 for a scalar. */
  depth: number;
}

class Refused extends Error {}

/**
 * Reports reserved keys (and goes on), or the first alias or nesting problem (and stops).
 * Returns false when the document must not be compiled.
 */
export function guardDocument(doc: Document, diag: Diagnostics, limits: Limits): boolean {
  const weights = new Map<Node, Weight | 'pending'>();
  let expansions = 0;
  let addedBytes = 0;

  const weigh = (node: unknown, depth: number): Weight => {
    if (isAlias(node)) return weighAlias(node, depth);
    if (isScalar(node)) {
      const w = { bytes: String(node.value ?? '').length + 1, aliases: 0, depth: 0 };
      if (node.anchor) weights.set(node, w);
      return w;
    }
    if (!isCollection(node)) return { bytes: 1, aliases: 0, depth: 0 };
    if (depth + 1 > limits.maxDepth) {
      diag.at(node, 'too-deep', `nesting is deeper than ${limits.maxDepth} levels of mappings and lists`);
      throw new Refused();
    }
    weights.set(node, 'pending');
    const w: Weight = { bytes: 1, aliases: 0, depth: 1 };
    const add = (child: unknown) => {
      if (child === null || child === undefined) return;
      const c = weigh(child, depth + 1);
      w.bytes += c.bytes;
      w.aliases += c.aliases;
      w.depth = Math.max(w.depth, c.depth + 1);
    };
    for (const item of node.items) {
      if (isPair(item)) {
        if (isScalar(item.key) && typeof item.key.value === 'string' && RESERVED_KEYS.has(item.key.value)) {
          diag.at(item.key, 'reserved-name', reservedMessage(item.key.value));
        }
        add(item.key);
        add(item.value);
      } else add(item);
    }
    weights.set(node, w);
    return w;
  };

  const weighAlias = (alias: Node & { source: string; resolve(doc: Document): Node | undefined }, depth: number): Weight => {
    const target = alias.resolve(doc);
    if (!target) return { bytes: 1, aliases: 0, depth: 0 }; // reported by deref when it is read
    const known = weights.get(target);
    if (known === 'pending') {
      diag.at(alias, 'alias', `alias '*${alias.source}' is inside the node it refers to: it would expand forever`);
      throw new Refused();
    }
    const w = known ?? weigh(target, depth);
    if (depth + w.depth > limits.maxDepth) {
      diag.at(alias, 'too-deep', `nesting is deeper than ${limits.maxDepth} levels of mappings and lists once alias '*${alias.source}' is expanded`);
      throw new Refused();
    }
    expansions += 1 + w.aliases;
    addedBytes += w.bytes;
    if (expansions > limits.maxAliasExpansions) {
      diag.at(alias, 'alias', `alias '*${alias.source}' takes the document past ${limits.maxAliasExpansions.toLocaleString('en-US')} alias expansions (this one expands ${(1 + w.aliases).toLocaleString('en-US')}): refusing it as an alias bomb`);
      throw new Refused();
    }
    if (addedBytes > limits.maxAliasBytes) {
      diag.at(alias, 'alias', `alias '*${alias.source}' takes what aliases add to the document past ${formatBytes(limits.maxAliasBytes)} (this one adds ${formatBytes(w.bytes)}): refusing it as an alias bomb`);
      throw new Refused();
    }
    return { bytes: w.bytes, aliases: 1 + w.aliases, depth: w.depth };
  };

  try {
    if (doc.contents) weigh(doc.contents, 0);
    return true;
  } catch (e) {
    if (e instanceof Refused) return false;
    throw e;
  }
}
