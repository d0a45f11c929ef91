// Public entry of the built-in C preprocessor: behaves like the kernel's
// `cpp -nostdinc -I ... -undef -D__DTS__ -x assembler-with-cpp`, and returns the text
// with a source map instead of `# line` markers.
import { memoryHost } from '../host.js';
import type { MacroDef } from './define.js';
import { PASTE_LEFT, PREV_WHITE, STRINGIFY_ARG } from './tokens.js';
import { Preprocessor } from './engine.js';
import { lexFile } from './lexer.js';
import { spanIn } from './sourcemap.js';
import type { SourcePos } from '../report/source.js';
import type { MacroInfo, PreprocessCache, PreprocessIndex, PreprocessOptions, PreprocessResult } from './types.js';

export type { MacroInfo, PreprocessCache, PreprocessIndex, PreprocessOptions, PreprocessResult, SourceMap } from './types.js';

export function createPreprocessCache(): PreprocessCache {
  return { lexed: new Map() };
}

const BUILTIN_DYNAMIC = ['__LINE__', '__FILE__', '__BASE_FILE__', '__COUNTER__', '__INCLUDE_LEVEL__'];
/** what `cpp -undef -x assembler-with-cpp` still predefines, plus the kernel's -D__DTS__ */
const BUILTIN_VALUES: [string, string][] = [
  ['__STDC__', '1'],
  ['__STDC_HOSTED__', '1'],
  ['__ASSEMBLER__', '1'],
  ['__DTS__', '1'],
];

function installBuiltins(pp: Preprocessor): void {
  for (const name of BUILTIN_DYNAMIC) {
    const m: MacroDef = { name, funLike: false, params: [], variadic: false, body: [], inst: 0, pos: 0, end: 0, builtin: name };
    pp.macros.set(name, m);
  }
  for (const [name, value] of BUILTIN_VALUES) pp.defineFromCommandLine(`${name}=${value}`);
}

export function preprocess(file: string, opts: PreprocessOptions): PreprocessResult {
  const pp = new Preprocessor({
    host: opts.host,
    includeDirs: opts.includeDirs,
    maxIncludeDepth: opts.maxIncludeDepth ?? 200,
    cache: opts.cache,
  });
  pp.mainFile = file;
  installBuiltins(pp);
  for (const d of opts.defines ?? []) pp.defineFromCommandLine(d);
  for (const u of opts.undefines ?? []) pp.macros.delete(u);
  const lexed = pp.loadFile(file);
  if (!lexed) {
    pp.error(`${file}: No such file or directory`);
    return { text: '', map: pp.map.build(), diagnostics: pp.diagnostics, dependencies: pp.dependencies, sources: pp.sources, index: indexOf(pp) };
  }
  pp.pushFile(lexed, null, -1);
  try {
    pp.run();
  } catch (e) {
    // e.g. a stack overflow on absurdly deep macro nesting: report, never throw
    pp.error(`preprocessing stopped: ${e instanceof Error ? e.message : String(e)}`);
  }
  const text = pp.printer.finish();
  if (opts.cache) opts.cache.scratch = pp.printer.scratch;
  return { text, map: pp.map.build(), diagnostics: pp.diagnostics, dependencies: pp.dependencies, sources: pp.sources, index: indexOf(pp) };
}

/** The run's macro table and file table, read only when an editor asks. */
function indexOf(pp: Preprocessor): PreprocessIndex {
  return {
    macro(name: string): MacroInfo | undefined {
      const m = pp.macros.get(name);
      if (!m || m.builtin) return undefined;
      const inst = pp.files[m.inst];
      const fromFile = inst && inst.path !== '<command-line>';
      const params = m.variadic ? [...m.params.slice(0, -1), m.params[m.params.length - 1] === '__VA_ARGS__' ? '...' : `${m.params[m.params.length - 1]}...`] : m.params;
      const body = m.body.map((t, i) => `${i > 0 && t.flags & PREV_WHITE ? ' ' : ''}${t.flags & STRINGIFY_ARG ? '#' : ''}${t.text}${t.flags & PASTE_LEFT ? ' ##' : ''}`).join('');
      return {
        name, funLike: m.funLike, body,
        signature: m.funLike ? `${name}(${params.join(', ')})` : name,
        ...(fromFile ? { span: spanIn(inst, m.pos, m.end) } : {}),
      };
    },
    includes() {
      const seen = new Set<string>();
      const out: Array<{ file: string; site: SourcePos }> = [];
      for (const f of pp.files) {
        const site = f.includedFrom[0];
        if (!site || seen.has(f.path)) continue;
        seen.add(f.path);
        out.push({ file: f.path, site });
      }
      return out;
    },
  };
}

/** Preprocess in-memory text (tests): `files` are extra headers by path. */
export function preprocessText(
  text: string,
  fileName: string,
  opts: Partial<PreprocessOptions> & { files?: Record<string, string> } = {},
): PreprocessResult {
  const files: Record<string, string> = { ...(opts.files ?? {}), [fileName]: text };
  const base = memoryHost(files);
  const host = opts.host
    ? { readFile: (f: string) => (f === fileName ? base.readFile(f) : opts.host!.readFile(f)), isFile: (f: string) => f === fileName || opts.host!.isFile(f) }
    : base;
  return preprocess(fileName, { ...opts, host, includeDirs: opts.includeDirs ?? [] });
}

/** A comment of a source file: its offsets in the text and its body (without the markers). */
export interface SourceComment {
  pos: number;
  end: number;
  body: string;
}

/** The comments of `text` as this preprocessor's lexer reads the file: what lies between its
 *  tokens, so that `//` inside a string, or after an unmatched quote, is no comment. For what
 *  reads comments after preprocessing has dropped them (suppression comments). */
export function sourceComments(file: string, text: string): SourceComment[] {
  const { tokens } = lexFile(file, text);
  const out: SourceComment[] = [];
  const scan = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      if (text.charCodeAt(i) !== 47 /* / */) continue;
      const next = text.charCodeAt(i + 1);
      if (next === 42 /* * */) {
        const close = text.indexOf('*/', i + 2);
        const end = close < 0 || close >= to ? to : close + 2;
        out.push({ pos: i, end, body: text.slice(i + 2, close < 0 || close >= to ? to : close) });
        i = end - 1;
      } else if (next === 47) {
        const nl = text.indexOf('\n', i + 2);
        const end = nl < 0 || nl > to ? to : nl;
        out.push({ pos: i, end, body: text.slice(i + 2, end) });
        i = end - 1;
      }
    }
  };
  let at = 0;
  for (const t of tokens) {
    scan(at, t.pos);
    at = t.end;
  }
  scan(at, text.length);
  return out;
}
