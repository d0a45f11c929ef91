// Adapter from the built-in preprocessor's output to what the DTS lexer reads.
import type { Host } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { preprocess } from '../preprocessor/index.js';
import type { PreprocessCache, PreprocessIndex } from '../preprocessor/types.js';
import type { LexSource } from '../dts/source.js';

export interface PreprocessSourceOptions {
  host: Host;
  includeDirs: string[];
  defines?: string[];
  undefines?: string[];
  cache?: PreprocessCache;
}

export interface PreprocessedSource {
  /** undefined when the preprocessor could not produce text */
  source?: LexSource;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  /** macros and include sites of the run (for editors) */
  index: PreprocessIndex;
}

export function preprocessSource(file: string, opts: PreprocessSourceOptions): PreprocessedSource {
  const r = preprocess(file, { host: opts.host, includeDirs: opts.includeDirs, defines: opts.defines, undefines: opts.undefines, cache: opts.cache });
  const failed = r.diagnostics.some((d) => d.severity === 'error');
  return { source: failed ? undefined : { file, text: r.text, map: r.map }, diagnostics: r.diagnostics, sources: r.sources, index: r.index };
}
