import { mulberry32 } from '../../lib/mulberry32';

/** Seeded PRNG: deterministic across runs and platforms. */
export class Random {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    // Mix the seed so that nearby seeds give unrelated streams.
    this.next = mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b));
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** k distinct indices of 0..n-1, ascending. */
  sample(n: number, k: number): number[] {
    const all = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      [all[i], all[j]] = [all[j], all[i]];
    }
    return all.slice(0, k).sort((a, b) => a - b);
  }
}
