// "Did you mean" suggestions: the closest candidate by edit distance, if it is close enough.
import { nonAsciiNote, skeleton } from './lookalike';

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + cost);
      diag = above;
    }
  }
  return prev[b.length];
}

/** Names longer than this get no suggestion: edit distance is quadratic in the lengths. */
const MAX_SUGGEST_LENGTH = 100;

export function closest(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > MAX_SUGGEST_LENGTH) return undefined;
  const shape = skeleton(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // Spelt with look-alike letters ('dаta' with a Cyrillic 'а'): the one the reader meant.
    if (candidate !== name && skeleton(candidate) === shape) return candidate;
    // The distance is at least the difference in length: most candidates need no computing.
    if (candidate.length > MAX_SUGGEST_LENGTH || Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  // Roughly one edit per three characters, at least one: 'reqiures' → 'requires', but 'zz' ↛ 'a'.
  const limit = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
  return bestDistance <= limit && bestDistance < name.length ? best : undefined;
}

/**
 * `message. Did you mean 'x'?`, or just `message` when nothing is close. A name or suggestion
 * with characters outside ASCII gets them named by code point: 'dаta' and 'data' look the same.
 */
export function withSuggestion(message: string, name: string, candidates: Iterable<string>): string {
  const best = closest(name, candidates);
  const named = message + nonAsciiNote(name);
  return best === undefined ? named : `${named}. Did you mean '${best}'?${nonAsciiNote(best)}`;
}

/**
 * Like withSuggestion, but when nothing is close, lists the valid names (if there are few) so the
 * reader need not go looking: `unknown param 'x' (params: a, b)`.
 */
export function withSuggestionOrList(message: string, name: string, candidates: Iterable<string>, noun: string): string {
  const names = [...candidates];
  if (closest(name, names) !== undefined) return withSuggestion(message, name, names);
  const named = message + nonAsciiNote(name);
  if (names.length === 0) return `${named} (there are no ${noun})`;
  return names.length <= 12 ? `${named} (${noun}: ${names.join(', ')})` : named;
}
