// Characters that look like ASCII letters but are not (Cyrillic 'а' U+0430 for Latin 'a', …):
// messages name them by code point, since the reader cannot see the difference. Pure: the
// expression lexer (in the workflow bundle) uses it too.

/** Common look-alikes of ASCII letters: Cyrillic, Greek, and a few others. */
const LOOKS_LIKE: Record<string, string> = Object.assign(Object.create(null), {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', һ: 'h', ԛ: 'q', ԝ: 'w',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
  α: 'a', ο: 'o', ν: 'v', ι: 'i', κ: 'k', ρ: 'p', υ: 'u',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  ı: 'i', ℓ: 'l', '\u00a0': ' ',
});

function script(code: number): string {
  if (code >= 0x0400 && code <= 0x052f) return 'Cyrillic';
  if (code >= 0x0370 && code <= 0x03ff) return 'Greek';
  if (code >= 0xff01 && code <= 0xff5e) return 'fullwidth';
  if ((code >= 0x200b && code <= 0x200f) || code === 0xfeff || code === 0x2060) return 'invisible';
  return 'non-ASCII';
}

/** `'а' (U+0430, Cyrillic, looks like Latin 'a')`. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const kind = script(code);
  if (kind === 'invisible') return `an invisible character (${hex})`;
  const ascii = LOOKS_LIKE[ch] ?? (kind === 'fullwidth' ? String.fromCharCode(code - 0xfee0) : undefined);
  return `'${ch}' (${hex}, ${kind}${ascii === undefined ? '' : `, looks like Latin '${ascii}'`})`;
}

/** ` (it contains 'а' (U+0430, …) at character 2)` for the first non-ASCII character, or ''. */
export function nonAsciiNote(name: string): string {
  let i = 0;
  for (const ch of name) {
    i++;
    if (ch.codePointAt(0)! > 0x7e) return ` (it contains ${describeChar(ch)} at character ${i})`;
  }
  return '';
}

/** The name with look-alikes replaced by the ASCII letters they imitate. */
export function skeleton(name: string): string {
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    out += LOOKS_LIKE[ch] ?? (code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : ch);
  }
  return out;
}
