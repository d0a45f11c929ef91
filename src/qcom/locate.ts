// Points a finding at one element of a property value in the source text: a property's
// span says where its value was written; re-reading that text element by element gives
// each element's line and column and its byte offset in the value. Whenever the text does
// not account for exactly the value's bytes (a macro producing several cells, a value
// assembled from several places) the caller falls back to the property's own span.
import type { Property } from '../tree/model.js';
import type { SourceSpan } from '../report/source.js';

interface ScannedElement {
  byteOffset: number;
  byteLength: number;
  /** character offset of the element's text in the file */
  charOffset: number;
  /** length of the element's text */
  length: number;
}

/** Character offset of each line start, computed once per file per locator. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

class Cursor {
  pos: number;
  constructor(readonly text: string, start: number) {
    this.pos = start;
  }

  skipSpaceAndComments(): void {
    const t = this.text;
    for (;;) {
      while (this.pos < t.length && /\s/.test(t[this.pos])) this.pos++;
      if (t.startsWith('//', this.pos)) {
        const nl = t.indexOf('\n', this.pos);
        this.pos = nl < 0 ? t.length : nl + 1;
      } else if (t.startsWith('/*', this.pos)) {
        const end = t.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? t.length : end + 2;
      } else {
        return;
      }
    }
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }
}

/** One cell-list item: a word (number, macro, label, &ref) or a parenthesised group. */
function readItem(c: Cursor): { start: number; end: number; text: string } | undefined {
  const t = c.text;
  const start = c.pos;
  if (t[c.pos] === '(') {
    let depth = 0;
    for (; c.pos < t.length; c.pos++) {
      if (t[c.pos] === '(') depth++;
      else if (t[c.pos] === ')' && --depth === 0) {
        c.pos++;
        break;
      }
    }
  } else if (t[c.pos] === '&' && t[c.pos + 1] === '{') {
    const end = t.indexOf('}', c.pos);
    c.pos = end < 0 ? t.length : end + 1;
  } else if (t[c.pos] === "'") {
    const end = t.indexOf("'", c.pos + 1 + (t[c.pos + 1] === '\\' ? 1 : 0));
    c.pos = end < 0 ? t.length : end + 1;
  } else {
    if (t[c.pos] === '&') c.pos++;
    while (c.pos < t.length && /[A-Za-z0-9_]/.test(t[c.pos])) c.pos++;
    if (t[c.pos] === ':') c.pos++; // a label inside the value
    else if (t[c.pos] === '(' && c.pos > start) readItem(c); // a function-like macro: NAME(args)
  }
  return c.pos > start ? { start, end: c.pos, text: t.slice(start, c.pos) } : undefined;
}

/** The value's elements as written at `valueStart`, or undefined when the text is not plain. */
function scanValue(text: string, valueStart: number): ScannedElement[] | undefined {
  const c = new Cursor(text, valueStart);
  const out: ScannedElement[] = [];
  let bytes = 0;
  for (;;) {
    c.skipSpaceAndComments();
    let bits = 32;
    if (text.startsWith('/bits/', c.pos)) {
      c.pos += 6;
      c.skipSpaceAndComments();
      const m = /^(8|16|32|64)\b/.exec(text.slice(c.pos, c.pos + 3));
      if (!m) return undefined;
      bits = Number(m[1]);
      c.pos += m[1].length;
      c.skipSpaceAndComments();
    }
    if (c.peek() === '<') {
      c.pos++;
      for (;;) {
        c.skipSpaceAndComments();
        if (c.peek() === '>') {
          c.pos++;
          break;
        }
        const item = readItem(c);
        if (!item) return undefined;
        if (item.text.endsWith(':') && !item.text.startsWith('&')) continue; // a label inside the value
        const size = item.text.startsWith('&') ? 4 : bits / 8;
        out.push({ byteOffset: bytes, byteLength: size, charOffset: item.start, length: item.end - item.start });
        bytes += size;
      }
    } else if (c.peek() === '"') {
      return undefined; // string lengths depend on escapes; not located element-wise
    } else if (c.peek() === '[') {
      c.pos++;
      for (;;) {
        c.skipSpaceAndComments();
        if (c.peek() === ']') {
          c.pos++;
          break;
        }
        if (!/[0-9a-fA-F]{2}/.test(text.slice(c.pos, c.pos + 2))) return undefined;
        out.push({ byteOffset: bytes, byteLength: 1, charOffset: c.pos, length: 2 });
        bytes += 1;
        c.pos += 2;
      }
    } else {
      return undefined;
    }
    c.skipSpaceAndComments();
    if (c.peek() === ',') {
      c.pos++;
      continue;
    }
    return c.peek() === ';' ? out : undefined;
  }
}

/** Finds and remembers source positions of property value elements. */
export class ValueLocator {
  private lines = new Map<string, number[]>();
  constructor(private readonly sourceText: (file: string) => string | undefined) {}

  /**
   * The span of the element holding byte `byteOffset` of `prop`'s value, or undefined
   * when it cannot be located exactly.
   */
  spanAt(prop: Property, byteOffset: number): SourceSpan | undefined {
    const span = prop.span;
    if (!span || span.expandedFrom) return undefined;
    const text = this.sourceText(span.file);
    if (text === undefined) return undefined;
    let starts = this.lines.get(span.file);
    if (!starts) this.lines.set(span.file, (starts = lineStarts(text)));
    const lineStart = starts[span.line - 1];
    if (lineStart === undefined) return undefined;
    const valueStart = findValueStart(text, lineStart + span.column - 1, prop.name);
    if (valueStart === undefined) return undefined;
    const elements = scanValue(text, valueStart);
    if (!elements) return undefined;
    const total = elements.reduce((n, e) => n + e.byteLength, 0);
    if (total !== prop.value.bytes.length) return undefined;
    const el = elements.find((e) => byteOffset >= e.byteOffset && byteOffset < e.byteOffset + e.byteLength);
    if (!el) return undefined;
    const line = upperBound(starts, el.charOffset);
    return {
      file: span.file,
      line,
      column: el.charOffset - starts[line - 1] + 1,
      length: el.length,
      includedFrom: span.includedFrom,
    };
  }
}

/** Index of the first value character after `name =`, starting at the property's span. */
function findValueStart(text: string, at: number, name: string): number | undefined {
  const c = new Cursor(text, at);
  if (!text.startsWith(name, c.pos)) {
    // the span may start at a label written before the name
    const i = text.indexOf(name, c.pos);
    if (i < 0 || i - c.pos > 256) return undefined;
    c.pos = i;
  }
  c.pos += name.length;
  c.skipSpaceAndComments();
  if (c.peek() !== '=') return undefined;
  c.pos++;
  c.skipSpaceAndComments();
  return c.pos;
}

/** 1-based line holding character `offset`. */
function upperBound(starts: number[], offset: number): number {
  let lo = 0, hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
