// Contract between the preprocessor and the DTS lexer: preprocessed text plus a map
// from offsets in that text back to where each character came from.
import type { Host } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';

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
}
