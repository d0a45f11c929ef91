// Where a piece of input came from. Spans survive #include and macro expansion:
// `includedFrom` is the chain of #include/`/include/` sites (innermost first) and
// `expandedFrom` the macro invocation the text was produced by.
import * as path from 'node:path';

export interface SourcePos {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based, in characters */
  column: number;
}

export interface SourceSpan extends SourcePos {
  /** length in characters on `line` (0 when unknown) */
  length: number;
  includedFrom?: SourcePos[];
  expandedFrom?: SourceSpan;
}

export function formatPos(p: SourcePos): string {
  return `${p.file}:${p.line}:${p.column}`;
}

export interface ChainLink {
  at: SourcePos;
  /** `expanded from macro invocation here` or `included from here` */
  what: string;
}

/** Where a span's text came from, in the order reports show it: the macro invocation it was
 *  expanded from (and that invocation's own chain), then the #include sites, innermost first. */
export function spanChain(span: SourceSpan): ChainLink[] {
  // iterative: expansion depth is the input's to choose
  const out: ChainLink[] = [];
  const includes: SourcePos[][] = [];
  for (let s: SourceSpan | undefined = span; s; s = s.expandedFrom) {
    includes.push(s.includedFrom ?? []);
    if (s.expandedFrom) out.push({ at: s.expandedFrom, what: 'expanded from macro invocation here' });
  }
  for (let i = includes.length - 1; i >= 0; i--) {
    for (const at of includes[i]) out.push({ at, what: 'included from here' });
  }
  return out;
}

/** A name that stands for no file (`<stdin>`, `<input>`): nothing to link to. */
export function isPseudoFile(file: string): boolean {
  return /^<[^<>]*>$/.test(file);
}

/** `file` relative to `baseDir` with `/` separators when it lies inside it, else undefined
 *  (relative names are taken from the working directory, as the user typed them). */
export function pathUnder(baseDir: string, file: string): string | undefined {
  const rel = path.relative(path.resolve(baseDir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : undefined;
}

/** Offsets where each line of `text` starts, for offset -> line:column (`spanOfOffsets`). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The span of [start, end) in a text whose `lineStarts` are `starts` (its length clipped to
 *  the first line). */
export function spanOfOffsets(file: string, starts: number[], start: number, end: number): SourceSpan {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= start) lo = mid;
    else hi = mid - 1;
  }
  const lineEnd = lo + 1 < starts.length ? starts[lo + 1] - 1 : Infinity;
  return { file, line: lo + 1, column: start - starts[lo] + 1, length: Math.max(0, Math.min(end, lineEnd) - start) };
}
