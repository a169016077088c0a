// partitionRange (partition.ts) as a WebAssembly function. V8 runs the JS loop at ≈ 3.9 ns a row
// on the bench data (bounds checks and tagged-number bookkeeping around every typed-array access);
// the same branch-free loop compiled from wasm runs at ≈ 1.8 ns. The row buffer, its scratch and
// the bin codes live in the module's memory, so a call passes offsets and copies nothing.
// The module is assembled here from its bytecode (a few dozen instructions), so no build step and
// no toolchain are needed.

/** Little-endian base-128 encodings of the wasm binary format. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];

// Opcodes used below.
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const i32 = (v: number) => [0x41, ...sleb(v)];
const ADD = 0x6a;
const SUB = 0x6b;
const AND = 0x71;
const SHL = 0x74;
const SHR_U = 0x76;
const GE_S = 0x4e;
const LT_S = 0x48;
const LOAD = [0x28, 2, 0]; // i32.load align=4 offset=0
const LOAD8_U = [0x2d, 0, 0];
const STORE = [0x36, 2, 0];
const I32 = 0x7f;

/**
 * part(rows, right, codes, from, to, bin, limit) → l: the loop of partitionRange without its join,
 * over byte addresses rows, right (Int32 elements) and codes (the split feature's column). A row
 * goes right iff bin < code < limit (limit = the missing code when missing goes left, else 256).
 */
function partitionModule(pages: number): Uint8Array<ArrayBuffer> {
  // Parameters 0..6 as above; locals 7 i, 8 l, 9 r, 10 row, 11 code, 12 goesRight.
  const body = [
    ...get(3), ...set(7), ...get(3), ...set(8), ...get(3), ...set(9),
    0x02, 0x40, // block
    ...get(7), ...get(4), GE_S, 0x0d, 0, // if i >= to: done
    0x03, 0x40, // loop
    ...get(0), ...get(7), ...i32(2), SHL, ADD, ...LOAD, ...set(10), // row = rows[i]
    ...get(2), ...get(10), ADD, ...LOAD8_U, ...set(11), // code = codes[row]
    ...get(5), ...get(11), SUB, ...i32(31), SHR_U, ...get(11), ...get(6), SUB, ...i32(31), SHR_U, AND, ...set(12),
    ...get(0), ...get(8), ...i32(2), SHL, ADD, ...get(10), ...STORE, // rows[l] = row
    ...get(1), ...get(9), ...i32(2), SHL, ADD, ...get(10), ...STORE, // right[r] = row
    ...get(8), ...i32(1), ...get(12), SUB, ADD, ...set(8), // l += 1 − goesRight
    ...get(9), ...get(12), ADD, ...set(9), // r += goesRight
    ...get(7), ...i32(1), ADD, ...tee(7), ...get(4), LT_S, 0x0d, 0, // while (++i < to)
    0x0b, // end loop
    0x0b, // end block
    ...get(8), ...get(3), SUB, // return l − from
    0x0b,
  ];
  const func = [...vec([[6, I32]]), ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(pages)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('part'), 0x00, 0]])),
    ...section(10, vec([[...uleb(func.length), ...func]])),
  ]);
}

const PAGE = 65536;

/**
 * A fit's row buffer, partition scratch and bin codes in one wasm memory, and the partition over
 * them. Same results as partitionRange with join (test/gbdt/wasm-partition.test.ts).
 */
export class WasmPartitioner {
  /** The row buffer to grow trees with (partition works on this one only). */
  readonly rows: Uint32Array;
  private readonly words: Uint32Array;
  private readonly part: (rows: number, right: number, codes: number, from: number, to: number, bin: number, limit: number) => number;

  private constructor(
    private readonly nRows: number,
    memory: WebAssembly.Memory,
    part: WasmPartitioner['part'],
  ) {
    this.words = new Uint32Array(memory.buffer);
    this.rows = this.words.subarray(0, nRows);
    this.part = part;
  }

  /** For column-major codes bins[f·nRows + row]; null when wasm or the memory is not available. */
  static create(bins: Uint8Array, nRows: number): WasmPartitioner | null {
    const bytes = 8 * nRows + bins.length;
    const pages = Math.ceil(bytes / PAGE) || 1;
    if (typeof WebAssembly !== 'object' || pages > 65536) return null;
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    } catch {
      return null;
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(partitionModule(pages)), { env: { memory } });
    new Uint8Array(memory.buffer, 8 * nRows, bins.length).set(bins);
    return new WasmPartitioner(nRows, memory, instance.exports.part as WasmPartitioner['part']);
  }

  /** partitionRange(rows, …, from, to, feature, bin, defaultLeft, missing, join = true): the left count. */
  partition(from: number, to: number, feature: number, bin: number, defaultLeft: boolean, missing: number): number {
    const n = this.nRows;
    const l = this.part(0, 4 * n, 8 * n + feature * n, from, to, bin, defaultLeft ? missing : 256);
    // The right-going rows sit in the scratch (words n + from ..) and follow the left ones.
    const r = to - from - l;
    if (r > 0) this.words.copyWithin(from + l, n + from, n + from + r);
    return l;
  }
}
