// The compile pipeline, read top to bottom like dtc.c's main:
// preprocess -> parse -> boot cpu -> resolve references + checks -> symbols/fixups.
// `ok` is false exactly when dtc would refuse to write output.
import type { Host } from '../host.js';
import { nodeHost, readText } from '../host.js';
import type { DtcVersion } from '../checks/table.js';
import type { CheckLevel } from '../checks/types.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { Diagnostics } from '../report/diagnostic.js';
import type { Tree } from '../tree/model.js';
import { parseDts } from '../dts/parser.js';
import type { LexSource } from '../dts/source.js';
import { rawSource } from '../dts/source.js';
import type { PreprocessCache, PreprocessIndex } from '../preprocessor/types.js';
import { binaryInput } from '../preprocessor/lexer.js';
import { preprocessSource } from './preprocess.js';
import { addOverlayNodes } from '../overlay/emit/transforms.js';
import { checkAndResolve } from './stages.js';

export interface CompileOptions {
  host?: Host;
  /** -I folders for #include, and -i folders for /include/ and /incbin/ */
  includeDirs?: string[];
  /** -D NAME[=VALUE] */
  defines?: string[];
  /** -U NAME */
  undefines?: string[];
  /** run the C preprocessor first (default true) */
  cpp?: boolean;
  /** -@: generate __symbols__ */
  symbols?: boolean;
  /** -b: boot CPU id (default: guessed from /cpus like dtc) */
  bootCpuid?: number;
  /** per-check level overrides (-W/-E) */
  checkLevels?: Map<string, CheckLevel>;
  /** whose check table runs (a preset's; default dtc 1.8.1's) */
  dtcVersion?: DtcVersion;
  /** lexed headers kept across compiles in one process (see createPreprocessCache) */
  ppCache?: PreprocessCache;
}

export interface CompileResult {
  tree?: Tree;
  diagnostics: Diagnostic[];
  /** false when dtc would refuse to write output */
  ok: boolean;
  /** the input parsed completely (a tree after a syntax error holds only what came before it) */
  parsed?: boolean;
  /** file -> text of every source read, for excerpts in diagnostics */
  sources: Map<string, string>;
  /** the preprocessor's macros and include sites (when it ran), for editors */
  preprocessed?: PreprocessIndex;
}

/** Compiles DTS text as if it were the file `fileName` (includes resolve beside it). */
export function compileText(text: string, fileName: string, opts: CompileOptions = {}): CompileResult {
  const base = opts.host ?? nodeHost;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  const host: Host = {
    readFile: (f) => (f === fileName ? bytes : base.readFile(f)),
    isFile: (f) => f === fileName || base.isFile(f),
  };
  return compileFile(fileName, { ...opts, host });
}

export function compileFile(file: string, opts: CompileOptions = {}): CompileResult {
  const host = opts.host ?? nodeHost;
  const includeDirs = opts.includeDirs ?? [];
  const diags = new Diagnostics();
  const sources = new Map<string, string>();

  // 1. the text the DTS lexer reads
  let source: LexSource;
  let preprocessed: PreprocessIndex | undefined;
  if (opts.cpp ?? true) {
    const pp = preprocessSource(file, { host, includeDirs, defines: opts.defines, undefines: opts.undefines, cache: opts.ppCache });
    diags.merge(pp.diagnostics);
    for (const [f, t] of pp.sources) sources.set(f, t);
    preprocessed = pp.index;
    if (!pp.source) return { diagnostics: diags.items, ok: false, sources, preprocessed };
    source = pp.source;
  } else {
    const text = readText(host, file);
    if (text === undefined) {
      diags.add({ rule: 'io', severity: 'error', message: `Couldn't open "${file}": No such file or directory`, file });
      return { diagnostics: diags.items, ok: false, sources };
    }
    sources.set(file, text);
    source = rawSource(file, text);
    const binary = binaryInput(text);
    if (binary) {
      diags.error('syntax', binary.message, source.map.spanAt(binary.pos, 1));
      return { diagnostics: diags.items, ok: false, sources };
    }
  }
  if (diags.hasErrors) return { diagnostics: diags.items, ok: false, sources, preprocessed };

  // 2. parse (dtc stops here on any parse error)
  const parsed = parseDts(source, { host, includeDirs, diagnostics: diags });
  const tree = parsed.tree;
  if (!parsed.ok) return { tree, diagnostics: diags.items, ok: false, parsed: false, sources, preprocessed };
  if (opts.bootCpuid !== undefined) tree.bootCpuid = opts.bootCpuid;

  // 3. resolve references and run the check table (dtc's process_checks)
  const checked = checkAndResolve(tree, diags, { symbols: opts.symbols, levels: opts.checkLevels, dtcVersion: opts.dtcVersion });

  // 4. overlay nodes: __symbols__ for -@, __fixups__/__local_fixups__ for plugins
  if (checked) addOverlayNodes(tree, diags, { symbols: opts.symbols ?? false });

  return { tree, diagnostics: diags.items, ok: checked && !diags.hasErrors, parsed: true, sources, preprocessed };
}
