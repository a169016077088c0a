// One thread's row-heavy kernels as WebAssembly functions: partitionRange (partition.ts) and
// buildHistogram (histogram.ts, all features). V8 runs the JS loops at ≈ 3.9 ns a row (partition)
// and ≈ 70–80 ns a row (histogram of a deep node) on the bench data: bounds checks and number
// bookkeeping around every typed-array access. The same loops compiled from wasm run at ≈ 1.8 ns
// and ≈ 40–47 ns. The row buffer, its scratch, the bin codes, the histogram slots, the gradients
// and a pool of histograms live in the module's memory, so a call passes offsets and copies
// nothing. The module is assembled here from its bytecode (a few dozen instructions each), so
// no build step and no toolchain are needed.

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
const MUL = 0x6c;
const F64_ADD = 0xa0;
const LOAD16_U = [0x2f, 1, 0];
const f64Load = (offset: number) => [0x2b, 3, offset];
const f64Store = (offset: number) => [0x39, 3, offset];
const F64 = 0x7c;
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
function partitionBody(): number[] {
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
  return [...vec([[6, I32]]), ...body];
}

/**
 * hist(rows, from, to, grad, hess, slots, nFeatures, hist): buildHistogram over all features,
 * with Uint16 slots: for each row r of rows[from..to), in order, and each feature slot s of r,
 * hist[2s] += grad[r], hist[2s + 1] += hess[r] (the same additions in the same order).
 */
function histogramBody(): number[] {
  // Parameters 0..7 as above; locals 8 i, 9 r, 10 slot address, 11 its end, 12 bin address; 13 g, 14 h.
  const body = [
    ...get(1), ...set(8),
    0x02, 0x40,
    ...get(8), ...get(2), GE_S, 0x0d, 0,
    0x03, 0x40,
    ...get(0), ...get(8), ...i32(2), SHL, ADD, ...LOAD, ...set(9), // r = rows[i]
    ...get(3), ...get(9), ...i32(3), SHL, ADD, ...f64Load(0), ...set(13), // g = grad[r]
    ...get(4), ...get(9), ...i32(3), SHL, ADD, ...f64Load(0), ...set(14), // h = hess[r]
    ...get(5), ...get(9), ...get(6), MUL, ...i32(1), SHL, ADD, ...tee(10), ...get(6), ...i32(1), SHL, ADD, ...set(11),
    0x03, 0x40, // each feature's slot
    ...get(10), ...LOAD16_U, ...i32(4), SHL, ...get(7), ADD, ...set(12), // address of (G, H) of the slot
    ...get(12), ...get(12), ...f64Load(0), ...get(13), F64_ADD, ...f64Store(0),
    ...get(12), ...get(12), ...f64Load(8), ...get(14), F64_ADD, ...f64Store(8),
    ...get(10), ...i32(2), ADD, ...tee(10), ...get(11), LT_S, 0x0d, 0,
    0x0b,
    ...get(8), ...i32(1), ADD, ...tee(8), ...get(2), LT_S, 0x0d, 0,
    0x0b,
    0x0b,
    0x0b,
  ];
  return [...vec([[5, I32], [2, F64]]), ...body];
}

/**
 * copy(dst, src, bytes): memory.copy (a memmove). On a shared memory it is far cheaper than
 * TypedArray copyWithin / set, which V8 does word by word with relaxed atomics there.
 */
const COPY_BODY = [0, ...get(0), ...get(1), ...get(2), 0xfc, 0x0a, 0x00, 0x00, 0x0b];

function kernelsModule(pages: number, shared = false): Uint8Array<ArrayBuffer> {
  const part = partitionBody();
  const hist = histogramBody();
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([
      [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])],
      [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([])],
      [0x60, ...vec([[I32], [I32], [I32]]), ...vec([])],
    ])),
    // Memory limits: 0x00 min (own memory), 0x03 min max (shared between threads).
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...(shared ? [0x03, ...uleb(pages), ...uleb(pages)] : [0x00, ...uleb(pages)])]])),
    ...section(3, vec([[0], [1], [2]])),
    ...section(7, vec([[...name('part'), 0x00, 0], [...name('hist'), 0x00, 1], [...name('copy'), 0x00, 2]])),
    ...section(10, vec([[...uleb(part.length), ...part], [...uleb(hist.length), ...hist], [...uleb(COPY_BODY.length), ...COPY_BODY]])),
  ]);
}

const PAGE = 65536;

/** Histograms kept in the module's memory at most (more come from the JS pool, built in JS). */
const MAX_HISTOGRAMS = 160;
const MAX_HISTOGRAM_BYTES = 64 * 2 ** 20;

const align = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * A fit's row buffer, partition scratch, bin codes, histogram slots, gradients and a pool of
 * histograms in one wasm memory, and the kernels over them. Same results as partitionRange with
 * join and buildHistogram (test/gbdt/wasm-kernels.test.ts).
 */
export class WasmKernels {
  /** The row buffer to grow trees with (the kernels work on this one only). */
  readonly rows: Uint32Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  private readonly words: Uint32Array;
  private readonly free: Float64Array[] = [];
  private readonly slots: number;
  private readonly codes: number;

  private constructor(
    private readonly nRows: number,
    private readonly nFeatures: number,
    private readonly histSize: number,
    nHists: number,
    private readonly memory: WebAssembly.Memory,
    layout: { grad: number; hess: number; slots: number; codes: number; hists: number },
    private readonly part: (rows: number, right: number, codes: number, from: number, to: number, bin: number, limit: number) => number,
    private readonly hist: (rows: number, from: number, to: number, grad: number, hess: number, slots: number, nFeatures: number, hist: number) => void,
  ) {
    this.words = new Uint32Array(memory.buffer);
    this.rows = this.words.subarray(0, nRows);
    this.grad = new Float64Array(memory.buffer, layout.grad, nRows);
    this.hess = new Float64Array(memory.buffer, layout.hess, nRows);
    this.slots = layout.slots;
    this.codes = layout.codes;
    for (let k = nHists - 1; k >= 0; k--) this.free.push(new Float64Array(memory.buffer, layout.hists + 8 * histSize * k, histSize));
  }

  /**
   * For column-major codes bins[f·nRows + row] and Uint16 row-major slots (toRowSlots), with
   * histograms of histSize values; null when wasm or the memory is not available.
   */
  static create(bins: Uint8Array, rowSlots: Uint16Array | Uint32Array, nRows: number, nFeatures: number, histSize: number): WasmKernels | null {
    if (typeof WebAssembly !== 'object' || !(rowSlots instanceof Uint16Array)) return null;
    const nHists = Math.max(1, Math.min(MAX_HISTOGRAMS, Math.floor(MAX_HISTOGRAM_BYTES / (8 * histSize))));
    const grad = align(8 * nRows, 8);
    const hess = grad + 8 * nRows;
    const slots = hess + 8 * nRows;
    const codes = slots + 2 * rowSlots.length;
    const hists = align(codes + bins.length, 64);
    const pages = Math.ceil((hists + 8 * histSize * nHists) / PAGE) || 1;
    if (pages > 65536) return null;
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    } catch {
      return null;
    }
    const exports = new WebAssembly.Instance(new WebAssembly.Module(kernelsModule(pages)), { env: { memory } }).exports;
    new Uint16Array(memory.buffer, slots, rowSlots.length).set(rowSlots);
    new Uint8Array(memory.buffer, codes, bins.length).set(bins);
    return new WasmKernels(nRows, nFeatures, histSize, nHists, memory, { grad, hess, slots, codes, hists }, exports.part as WasmKernels['part'], exports.hist as WasmKernels['hist']);
  }

  /** partitionRange(rows, …, from, to, feature, bin, defaultLeft, missing, join = true): the left count. */
  partition(from: number, to: number, feature: number, bin: number, defaultLeft: boolean, missing: number): number {
    const n = this.nRows;
    const l = this.part(0, 4 * n, this.codes + feature * n, from, to, bin, defaultLeft ? missing : 256);
    // The right-going rows sit in the scratch (words n + from ..) and follow the left ones.
    const r = to - from - l;
    if (r > 0) this.words.copyWithin(from + l, n + from, n + from + r);
    return l;
  }

  /** A zeroed histogram in the module's memory, or null when its pool is used up. */
  acquire(): Float64Array | null {
    const h = this.free.pop();
    if (!h) return null;
    h.fill(0);
    return h;
  }

  /** Whether h is one of this memory's histograms (then release it here). */
  owns(h: Float64Array): boolean {
    return h.buffer === this.memory.buffer;
  }

  release(h: Float64Array): void {
    this.free.push(h);
  }

  /** buildHistogram(hist, …, rows, start, end, grad, hess, all features) for this memory's rows, gradients and a histogram it owns. */
  build(hist: Float64Array, start: number, end: number): void {
    if (hist.length !== this.histSize || !this.owns(hist)) throw new Error('WasmKernels.build: not one of its histograms');
    this.hist(0, start, end, this.grad.byteOffset, this.hess.byteOffset, this.slots, this.nFeatures, hist.byteOffset);
  }
}

/** The kernels over a shared memory, as each thread of the worker_threads build instantiates them. */
export type PartitionFn = (rows: number, right: number, codes: number, from: number, to: number, bin: number, limit: number) => number;
export type HistogramFn = (rows: number, from: number, to: number, grad: number, hess: number, slots: number, nFeatures: number, hist: number) => void;
export type CopyFn = (dst: number, src: number, bytes: number) => void;

/** Histogram arena chunks placed in the shared memory at most (later ones are plain shared buffers, built in JS). */
const MAX_SHARED_HIST_BYTES = 64 * 2 ** 20;

/**
 * The worker_threads build's row buffer (byte 0), partition scratch (4·nRows), bin codes
 * (8·nRows), gradients, hessians, Uint16 histogram slots and the first histogram arena chunks in
 * one shared wasm memory, so every thread runs the wasm kernels. Null when shared wasm memory is
 * not available.
 */
export interface SharedWasmMemory {
  memory: WebAssembly.Memory;
  pages: number;
  rows: Uint32Array;
  right: Uint32Array;
  bins: Uint8Array;
  grad: Float64Array;
  hess: Float64Array;
  /** Null with Uint32 slots (histograms are then built in JS). */
  slots: Uint16Array | null;
  /** Arena chunks of histsPerChunk histograms each. */
  chunks: Float64Array[];
}

export function sharedWasmMemory(bins: Uint8Array, rowSlots: Uint16Array | Uint32Array, nRows: number, histSize: number, histsPerChunk: number): SharedWasmMemory | null {
  if (typeof WebAssembly !== 'object') return null;
  const slotsIn = rowSlots instanceof Uint16Array;
  const chunkBytes = 8 * histSize * histsPerChunk;
  const nChunks = slotsIn ? Math.max(1, Math.floor(MAX_SHARED_HIST_BYTES / chunkBytes)) : 0;
  const grad = align(8 * nRows + bins.length, 8);
  const hess = grad + 8 * nRows;
  const slots = hess + 8 * nRows;
  const chunks = align(slots + (slotsIn ? 2 * rowSlots.length : 0), 64);
  const pages = Math.ceil((chunks + chunkBytes * nChunks) / PAGE) || 1;
  if (pages > 65536) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null;
  }
  const b = memory.buffer;
  const codes = new Uint8Array(b, 8 * nRows, bins.length);
  codes.set(bins);
  const slotView = slotsIn ? new Uint16Array(b, slots, rowSlots.length) : null;
  slotView?.set(rowSlots);
  return {
    memory,
    pages,
    rows: new Uint32Array(b, 0, nRows),
    right: new Uint32Array(b, 4 * nRows, nRows),
    bins: codes,
    grad: new Float64Array(b, grad, nRows),
    hess: new Float64Array(b, hess, nRows),
    slots: slotView,
    chunks: Array.from({ length: nChunks }, (_, k) => new Float64Array(b, chunks + chunkBytes * k, histSize * histsPerChunk)),
  };
}

/** This thread's instances of the kernels over a shared memory. */
export function sharedWasmFns(m: { memory: WebAssembly.Memory; pages: number }): { part: PartitionFn; hist: HistogramFn; copy: CopyFn } {
  const e = new WebAssembly.Instance(new WebAssembly.Module(kernelsModule(m.pages, true)), { env: { memory: m.memory } }).exports;
  return { part: e.part as PartitionFn, hist: e.hist as HistogramFn, copy: e.copy as CopyFn };
}
