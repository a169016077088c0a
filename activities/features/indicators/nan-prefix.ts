// Kernels write every index of their output: NaN before the first defined value (the warm-up),
// so callers need not pre-fill their buffers.
export function nanPrefix(out: Float64Array, first: number): void {
  out.fill(NaN, 0, Math.min(Math.max(0, first), out.length));
}
