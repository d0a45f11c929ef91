// Contract between the preprocessor and the DTS lexer: preprocessed text plus a map
// from offsets in that text back to where each character came from.
import type { Host } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { SourcePos, SourceSpan } from '../report/source.js';

export interface PreprocessOptions {
  host: Host;
  /** -I folders, searched in order (after the including file's folder for "..." includes) */
  includeDirs: string[];
  /** -D NAME or NAME=VALUE, applied in order after the built-ins (__DTS__ etc.) */
  defines?: string[];
  /** -U NAME */
  undefines?: string[];
  /** include nesting limit (an error, not a hang, past it); default 200 like gcc */
  maxIncludeDepth?: number;
  /** lexed files kept across calls (see createPreprocessCache); optional */
  cache?: PreprocessCache;
}

/** Reusable across preprocess() calls: lexed files keyed by path, checked against the
 *  file's current text before reuse. */
export interface PreprocessCache {
  lexed: Map<string, unknown>;
  /** output buffer reused by the next call */
  scratch?: unknown;
}

export interface SourceMap {
  /** Origin of the text at [offset, offset+length) of the preprocessed output. */
  spanAt(offset: number, length?: number): SourceSpan;
}

export interface PreprocessResult {
  text: string;
  map: SourceMap;
  diagnostics: Diagnostic[];
  /** every file read, in first-read order (for -d style dependency output) */
  dependencies: string[];
  /** file -> text of every file read, for excerpts in diagnostics */
  sources: Map<string, string>;
  /** what an editor asks about the run (macros, include sites); built only when asked */
  index: PreprocessIndex;
}

/** A macro as defined when the run ended. */
export interface MacroInfo {
  name: string;
  /** where its name is written in the #define (undefined for built-ins and -D) */
  span?: SourceSpan;
  /** `NAME(a, b)` for a function-like macro, else the name */
  signature: string;
  /** the replacement list as written, on one line */
  body: string;
  funLike: boolean;
}

/** Where each file was included from, and the macros: for go-to-definition and hover. */
export interface PreprocessIndex {
  macro(name: string): MacroInfo | undefined;
  /** every file read through #include, with the site of its first #include */
  includes(): Array<{ file: string; site: SourcePos }>;
}
