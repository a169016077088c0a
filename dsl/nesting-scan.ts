// A quick look at how deeply a YAML text nests, before yaml parses it: yaml's parser slows down
// more than linearly on very deep input (500,000 '[' take 15 s) and its composer overflows the
// stack past ~1,000 levels. The estimate is linear and errs high by a level or two per line
// (`- key:` counts the line's own level, '-' and ':'), never low on valid YAML; the exact depth
// is checked after parsing (document-guard.ts).

export interface Position {
  line: number;
  col: number;
  offset: number;
}

/** Where the estimated nesting first exceeds `limit`, or undefined. */
export function nestingExceeds(text: string, limit: number): Position | undefined {
  const indents: number[] = [];
  let flow = 0;
  let flowBase = 0;
  let quote = '';
  let blockScalarParent: number | undefined;
  let lineNo = 0;
  for (let start = 0; start <= text.length; ) {
    lineNo++;
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    let i = start;
    let valueStart = true;
    let levels = 0;
    if (quote) {
      i = closeQuote(text, start, end, quote);
      if (i < 0) {
        start = end + 1;
        continue;
      }
      quote = '';
      valueStart = false;
    } else {
      while (i < end && text[i] === ' ') i++;
      const indent = i - start;
      const blank = i === end || text[i] === '#' || text[i] === '\r';
      if (blockScalarParent !== undefined) {
        if (blank || indent > blockScalarParent) {
          start = end + 1;
          continue;
        }
        blockScalarParent = undefined;
      }
      if (blank) {
        start = end + 1;
        continue;
      }
      if (flow === 0) {
        if (text.startsWith('---', i) || text.startsWith('...', i)) indents.length = 0;
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
      }
    }
    const base = flow > 0 ? flowBase : indents.length;
    for (; i < end; i++) {
      const c = text[i];
      const next = i + 1 < end ? text[i + 1] : ' ';
      if (c === ' ' || c === '\t' || c === '\r') continue;
      if (c === '#' && (i === start || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      if (valueStart) {
        if ((c === '-' || c === '?') && flow === 0 && (next === ' ' || next === '\t' || next === '\r')) {
          levels++;
        } else if (c === '"' || c === "'") {
          const closed = closeQuote(text, i + 1, end, c);
          if (closed < 0) {
            quote = c;
            break;
          }
          i = closed - 1;
          valueStart = false;
        } else if ((c === '|' || c === '>') && flow === 0) {
          blockScalarParent = indents[indents.length - 1] ?? 0;
          break;
        } else if (c === '[' || c === '{') {
          if (flow === 0) flowBase = base + levels;
          flow++;
        } else if (c === '&' || c === '!' || c === '*') {
          while (i + 1 < end && text[i + 1] !== ' ' && text[i + 1] !== ',' && text[i + 1] !== ']' && text[i + 1] !== '}') i++;
          if (c === '*') valueStart = false;
        } else if (flow > 0 && (c === ']' || c === '}')) {
          flow--;
          valueStart = false;
        } else {
          valueStart = false;
          if (flow > 0 && c === ',') valueStart = true;
        }
      } else if (flow > 0) {
        if (c === '[' || c === '{') {
          flow++;
          valueStart = true;
        } else if (c === ']' || c === '}') flow--;
        else if (c === ',' || (c === ':' && /[\s,[\]{}]/.test(next))) valueStart = true;
      } else if (c === ':' && (next === ' ' || next === '\t' || next === '\r')) {
        levels++;
        valueStart = true;
      }
      if ((flow > 0 ? flowBase + flow : base + levels) > limit) return { line: lineNo, col: i - start + 1, offset: i };
    }
    if (flow === 0 && base + levels > limit) return { line: lineNo, col: 1, offset: start };
    start = end + 1;
  }
  return undefined;
}

/** Index just after the quote that closes a scalar opened before `from`, or -1 if not on this line. */
function closeQuote(text: string, from: number, end: number, quote: string): number {
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}
