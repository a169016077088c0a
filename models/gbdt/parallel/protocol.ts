// What the histogram threads share with the thread growing the tree (see parallel-histograms.ts).
// Everything lives in SharedArrayBuffers; commands go through an Int32Array with Atomics.

/** Control words. */
export const SEQ = 0; // bumped for every command
export const DONE = 1; // helpers that finished the current command
export const CMD = 2;
export const N_CHUNKS = 3; // histogram arena chunks in use
export const N_ACTIVE = 4; // active features of the current command
export const READY = 5; // helpers in their command loop
export const CONTROL_WORDS = 8;

export const CMD_BUILD = 1;
export const CMD_STOP = 2;

/** Work items per helper: a count, then (histId, start, end) triples. */
export const ITEM_WORDS = 3;

/** Histograms per arena chunk. */
export const HISTS_PER_CHUNK = 16;

export interface HelperSetup {
  helper: number;
  nFeatures: number;
  histSize: number;
  rowSlots: Uint16Array | Uint32Array;
  rows: Uint32Array;
  grad: Float64Array;
  hess: Float64Array;
  features: Int32Array;
  control: Int32Array;
  /** This helper's work list. */
  items: Int32Array;
  /** Arena chunks that exist already; later ones arrive on `chunks` (a MessagePort). */
  arena: SharedArrayBuffer[];
}

export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * n));
}

export function sharedUint32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(4 * n));
}

export function sharedInt32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * n));
}

/** A shared copy of row-major slot codes. */
export function sharedCopy<T extends Uint16Array | Uint32Array>(a: T): T {
  const out = (a instanceof Uint16Array ? new Uint16Array(new SharedArrayBuffer(a.byteLength)) : new Uint32Array(new SharedArrayBuffer(a.byteLength))) as T;
  out.set(a);
  return out;
}
