// What the compiler accepts at most (documented in dsl/README.md, "Limits"). Real pipelines are
// a few KB and a few levels deep; these bounds keep a hostile or broken file from hanging
// `client validate` or a worker, and keep every plan small enough to start a run with.

export interface Limits {
  /** Pipeline source, UTF-8 bytes. */
  maxSourceBytes: number;
  /** Compiled plan (its canonical JSON, UTF-8 bytes). A plan is workflow input: Temporal refuses
   *  payloads over 2 MB by default, and a run's carried state shares that budget. */
  maxPlanBytes: number;
  /** Nested mappings and lists, counting what aliases expand to. */
  maxDepth: number;
  /** Aliases expanded in the whole document (an alias inside an anchored node counts once per
   *  copy of that node). */
  maxAliasExpansions: number;
  /** Size that aliases may add: each scalar counts its text length + 1, each collection 1. */
  maxAliasBytes: number;
  /** Errors reported before the compiler stops looking. */
  maxErrors: number;
}

export const LIMITS: Readonly<Limits> = {
  maxSourceBytes: 1024 * 1024,
  maxPlanBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliasExpansions: 10_000,
  maxAliasBytes: 1024 * 1024,
  maxErrors: 200,
};

/** Nested sub-expressions (operands, parentheses, brackets, arguments) in one `${{ }}`. */
export const MAX_EXPR_DEPTH = 64;

/** 1536 → '1.5 KiB', 1048576 → '1 MiB'. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const [value, unit] = n < 1024 * 1024 ? [n / 1024, 'KiB'] : [n / (1024 * 1024), 'MiB'];
  return `${Number(value.toFixed(1))} ${unit}`;
}

/** UTF-8 length without allocating (dsl/ may not use Buffer). */
export function utf8Length(text: string): number {
  if (!/[^\x00-\x7f]/.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
