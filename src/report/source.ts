// Where a piece of input came from. Spans survive #include and macro expansion:
// `includedFrom` is the chain of #include/`/include/` sites (innermost first) and
// `expandedFrom` the macro invocation the text was produced by.

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
