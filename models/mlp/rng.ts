// Seeded randomness for batch shuffling and per-step dropout seeds.
import { mulberry32 } from '../../lib/mulberry32';

export { mulberry32 };

export function seededPermutation(n: number, rand: () => number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
