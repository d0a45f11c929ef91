// The preprocessor proper, modelled on GCC's libcpp so that expansions and spacing come
// out the same: a base lexer over a stack of included files, a stack of token contexts
// for macro expansions, painted (NO_EXPAND) tokens for C's no-re-expansion rule, padding
// tokens that carry spacing. Directives live in directives.ts.
import * as path from 'node:path';
import type { Host } from '../host.js';
import { latin1String } from '../tree/value.js';
import { MAX_QUOTED, clipText } from '../report/safe-text.js';
import type { Diagnostic, DiagnosticNote } from '../report/diagnostic.js';
import type { SourcePos, SourceSpan } from '../report/source.js';
import { parseDefine, sameDefinition, type MacroDef } from './define.js';
import { handleDirective, type Conditional } from './directives.js';
import { lexFile, type LexedFile } from './lexer.js';
import { pasteSpelling, stringifySpelling } from './operators.js';
import { Printer } from './printer.js';
import { posOf, SegmentMapBuilder, spanIn, type ExpansionSite, type FileInstance } from './sourcemap.js';
import {
  BOL,
  copyToken,
  EOF,
  makeToken,
  NAME,
  NO_EXPAND,
  NUMBER,
  PADDING,
  paddingToken,
  PASTE_LEFT,
  PREV_WHITE,
  PUNCT,
  STRING,
  STRINGIFY_ARG,
  type Token,
} from './tokens.js';
import type { PreprocessCache } from './types.js';

interface FileFrame {
  lexed: LexedFile;
  inst: number;
  /** next token index */
  idx: number;
  /** index into the search chain where the file was found (-1: the includer's folder) */
  foundIn: number;
  /** conditional stack depth when the file was entered */
  condBase: number;
}

interface Context {
  tokens: Token[];
  pos: number;
  macro: MacroDef | null;
}

interface MacroArg {
  first: Token[];
  expanded: Token[] | null;
  stringified: Token | null;
  /** variadic argument left out entirely (GNU `, ## __VA_ARGS__` swallows the comma) */
  omitted: boolean;
}

/**
 * Limits that turn a runaway input into a located error instead of a hang or a heap
 * abort (GCC's cpp has none of them and runs out of memory on a macro bomb). Real trees
 * are far below them: over the kernel's 1,732 arm64 sources the deepest expansion chain
 * is 5 levels and the largest file makes 7,134 expansions.
 */
export const PREPROCESS_LIMITS = {
  /** macro expansions nested in each other (through bodies or arguments) */
  maxExpansionDepth: 200,
  /** expansions plus replacement-list tokens per run: at least this ... */
  minWork: 2_000_000,
  /** ... or this many per token read (each #include counted every time) */
  workPerInputToken: 16,
  /** preprocessed text: at least this many bytes may be written ... */
  minOutput: 32 * 1024 * 1024,
  /** ... or this many per byte read, but never more than maxOutput */
  outputPerInputByte: 4,
  maxOutput: 256 * 1024 * 1024,
} as const;

export interface EngineOptions {
  host: Host;
  includeDirs: string[];
  maxIncludeDepth: number;
  cache?: PreprocessCache;
}

export class Preprocessor {
  readonly files: FileInstance[] = [];
  readonly expansions: ExpansionSite[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly dependencies: string[] = [];
  readonly sources = new Map<string, string>();
  readonly macros = new Map<string, MacroDef>();
  readonly map: SegmentMapBuilder;
  readonly printer: Printer;
  readonly onceFiles = new Set<string>();
  readonly conds: Conditional[] = [];
  readonly frames: FileFrame[] = [];
  skipping = false;
  inDirective = false;
  /** 0 none, 1 looking for '(', 2 collecting arguments */
  parsingArgs = 0;
  preventExpansion = 0;
  /** stop reading input (a fatal error such as a missing #include) */
  fatal = false;
  counter = 0;
  mainFile = '';
  /** tokens and bytes of every file entered (for the expansion and output budgets) */
  private inputTokens = 0;
  private inputBytes = 0;
  /** expansions plus replacement tokens made so far */
  private work = 0;
  /** nesting depth of each expansion (index as in `expansions`) */
  private readonly expansionDepth: number[] = [];

  private contexts: Context[] = [];
  private readonly lookahead: Token[] = [];
  private readonly disabled = new Set<MacroDef>();
  /** expansion whose arguments are being pre-expanded (parent of expansions inside them) */
  private readonly argOwner: number[] = [];
  private readonly lexEof = makeToken(EOF, '', 0, 0, 0, 0);
  /** terminates a macro argument during its pre-expansion (GCC's pfile->eof) */
  private readonly argEof = makeToken(EOF, '', 0, 0, 0, 0);
  private readonly avoidPasteToken = paddingToken(null);
  private readonly lexedLocal = new Map<string, LexedFile>();

  constructor(readonly opts: EngineOptions) {
    this.map = new SegmentMapBuilder(this.files, this.expansions);
    this.printer = new Printer(this.map, this.files, opts.cache?.scratch as Buffer | undefined);
  }

  // ---- files ------------------------------------------------------------------

  /** Read and lex a file (through the cache); undefined when it cannot be read. */
  loadFile(file: string): LexedFile | undefined {
    const local = this.lexedLocal.get(file);
    if (local) return local;
    const bytes = this.opts.host.readFile(file);
    if (bytes === undefined) return undefined;
    let lexed = this.opts.cache?.lexed.get(file) as LexedFile | undefined;
    if (!lexed || !sameBytes(lexed.bytes, bytes)) {
      lexed = lexFile(file, latin1String(bytes), bytes);
      this.opts.cache?.lexed.set(file, lexed);
    }
    const text = lexed.text;
    this.lexedLocal.set(file, lexed);
    this.dependencies.push(file);
    this.sources.set(file, text);
    return lexed;
  }

  /** Start reading `lexed` (the main file, or an #include from `site`). */
  pushFile(lexed: LexedFile, site: SourcePos | null, foundIn: number): void {
    const parent = this.frames.length ? this.files[this.frames[this.frames.length - 1].inst] : null;
    const includedFrom = site ? [site, ...(parent?.includedFrom ?? [])] : [];
    const inst = this.files.length;
    if (site && parent) this.printer.resumeAt(this.frames[this.frames.length - 1].inst, site.line + 1);
    this.files.push({ path: lexed.path, text: lexed.text, bytes: lexed.bytes, lineStarts: lexed.lineStarts, includedFrom });
    this.frames.push({ lexed, inst, idx: 0, foundIn, condBase: this.conds.length });
    this.inputTokens += lexed.tokens.length;
    this.inputBytes += lexed.bytes.length;
    for (const e of lexed.errors) {
      this.error(e.message, spanIn(this.files[inst], e.pos, e.pos + 2));
    }
  }

  private popFile(): void {
    const frame = this.frames.pop()!;
    while (this.conds.length > frame.condBase) {
      const c = this.conds.pop()!;
      this.error(`unterminated #${c.directive}`, this.spanOf(c.at));
    }
    // the includer was not skipping when it ran the #include
    this.skipping = false;
  }

  get currentFrame(): FileFrame | undefined {
    return this.frames[this.frames.length - 1];
  }

  get currentInst(): number {
    const f = this.frames[this.frames.length - 1];
    return f ? f.inst : this.files.length - 1;
  }

  /** Tokens of the rest of the current directive line, unexpanded. */
  restOfLine(): Token[] {
    const f = this.currentFrame;
    if (!f) return [];
    const toks = f.lexed.tokens;
    const start = f.idx;
    let i = start;
    while (i < toks.length && !(toks[i].flags & BOL)) i++;
    f.idx = i;
    return toks.slice(start, i);
  }

  skipRestOfLine(): void {
    const f = this.currentFrame;
    if (f) this.skipRestOfLineIn(f);
  }

  private skipRestOfLineIn(f: FileFrame): void {
    const toks = f.lexed.tokens;
    let i = f.idx;
    while (i < toks.length && !(toks[i].flags & BOL)) i++;
    f.idx = i;
  }

  /** Next raw token on the directive line, or null at its end (consumed). */
  peekLine(): Token | null {
    const f = this.currentFrame;
    if (!f) return null;
    const t = f.lexed.tokens[f.idx];
    return t && !(t.flags & BOL) ? t : null;
  }

  // ---- diagnostics ----------------------------------------------------------------

  spanOf(tok: Token): SourceSpan {
    const inst = tok.inst >= 0 ? tok.inst : this.currentInst;
    const span = spanIn(this.files[inst], tok.pos, tok.end);
    if (tok.exp >= 0) span.expandedFrom = this.expansionSpan(tok.exp);
    return span;
  }

  /** The invocation site of expansion `e`, with the chain of invocations it came out of
   *  (built with a loop: the chain is as long as the input nests macros). */
  expansionSpan(e: number): SourceSpan {
    let first: SourceSpan | undefined;
    let last: SourceSpan | undefined;
    for (let x = e; x >= 0; x = this.expansions[x].parent) {
      const site = this.expansions[x];
      const s = spanIn(this.files[site.inst], site.pos, site.end);
      if (last) last.expandedFrom = s;
      else first = s;
      last = s;
    }
    return first!;
  }

  /** Charges `n` units to the expansion budget; false (after a located error, and with
   *  input reading stopped) once it is spent. */
  private spend(n: number, at: () => SourceSpan): boolean {
    if (this.fatal) return false;
    this.work += n;
    const budget = Math.max(PREPROCESS_LIMITS.minWork, PREPROCESS_LIMITS.workPerInputToken * this.inputTokens);
    if (this.work <= budget) return true;
    this.error(
      `macro expansion too large: more than ${budget} expansions and replacement tokens for ${this.inputTokens} input tokens (a macro that expands to copies of itself?)`,
      at(),
    );
    this.fatal = true;
    return false;
  }

  /** Most preprocessed text this run may write (see PREPROCESS_LIMITS). */
  private get outputLimit(): number {
    const l = PREPROCESS_LIMITS;
    return Math.min(l.maxOutput, Math.max(l.minOutput, l.outputPerInputByte * this.inputBytes));
  }

  error(message: string, span?: SourceSpan, notes?: DiagnosticNote[]): void {
    this.diagnostics.push({ rule: 'preprocessor', severity: 'error', message, span, ...(notes ? { notes } : {}) });
  }

  warning(message: string, span?: SourceSpan): void {
    this.diagnostics.push({ rule: 'preprocessor', severity: 'warning', message, span });
  }

  // ---- macros -----------------------------------------------------------------------

  define(macro: MacroDef, at: Token | null): void {
    const old = this.macros.get(macro.name);
    if (old && !old.builtin && !sameDefinition(old, macro) && at) {
      this.warning(`"${clipText(macro.name, MAX_QUOTED)}" redefined`, this.spanOf(at));
    }
    this.macros.set(macro.name, macro);
  }

  /** -D NAME[=VALUE] (value defaults to 1, as with cpp) */
  defineFromCommandLine(def: string): void {
    const eq = def.indexOf('=');
    const name = eq < 0 ? def : def.slice(0, eq);
    const value = eq < 0 ? '1' : def.slice(eq + 1);
    const text = `${name} ${value}`;
    const lexed = lexFile('<command-line>', text);
    const inst = this.commandLineInst(lexed);
    const body = lexed.tokens.map((t) => {
      const c = copyToken(t);
      c.flags &= ~BOL;
      return c;
    });
    // reuse the #define parser on "NAME VALUE"
    const parsed = parseDefine(body);
    if (parsed.ok) this.macros.set(parsed.macro.name, { ...parsed.macro, inst });
    else this.error(`invalid -D option '${clipText(def, MAX_QUOTED)}': ${parsed.message}`);
  }

  private commandLineInst(lexed: LexedFile): number {
    const inst = this.files.length;
    this.files.push({ path: '<command-line>', text: lexed.text, bytes: lexed.bytes, lineStarts: lexed.lineStarts, includedFrom: [] });
    return inst;
  }

  // ---- base lexer -----------------------------------------------------------------

  private lexToken(): Token {
    for (;;) {
      let tok: Token;
      if (this.lookahead.length) {
        tok = this.lookahead.pop()!;
      } else {
        const f = this.currentFrame;
        if (!f || this.fatal) return this.lexEof;
        const toks = f.lexed.tokens;
        if (f.idx >= toks.length) {
          if (this.inDirective || this.parsingArgs) return this.lexEof;
          this.popFile();
          if (!this.frames.length) return this.lexEof;
          continue;
        }
        tok = toks[f.idx];
        if (this.inDirective && tok.flags & BOL) return this.lexEof;
        f.idx++;
      }
      if (tok.flags & BOL) {
        if (this.parsingArgs !== 1 && tok.kind === PUNCT && tok.text === '#' && !this.inDirective) {
          if (this.runDirective(tok)) continue;
        }
        if (this.skipping) {
          this.skipToNextDirective();
          continue;
        }
        if (!this.parsingArgs) {
          const f = this.currentFrame!;
          this.printer.lineChange(tok, f.inst, f.lexed.lineStarts[tok.line - 1]);
        } else if (this.parsingArgs === 2 && !(tok.flags & PREV_WHITE)) {
          // inside macro arguments a line break counts as whitespace
          tok = copyToken(tok);
          tok.flags |= PREV_WHITE;
        }
      } else if (this.skipping && !this.inDirective) {
        this.skipToNextDirective();
        continue;
      }
      return tok;
    }
  }

  private runDirective(hash: Token): boolean {
    const savedArgs = this.parsingArgs;
    const savedPrevent = this.preventExpansion;
    const savedContexts = this.contexts;
    this.parsingArgs = 0;
    this.preventExpansion = 0;
    this.contexts = [];
    this.inDirective = true;
    const frame = this.currentFrame!;
    const consumed = handleDirective(this, hash);
    // drop what an aborted #if expression left behind (re-enabling its macros)
    while (this.contexts.length) this.popContext();
    this.lookahead.length = 0;
    this.inDirective = false;
    this.parsingArgs = savedArgs;
    this.preventExpansion = savedPrevent;
    this.contexts = savedContexts;
    if (consumed) this.skipRestOfLineIn(frame);
    return consumed;
  }

  private skipToNextDirective(): void {
    const f = this.currentFrame;
    if (!f) return;
    const hl = f.lexed.hashLines;
    // binary search the first directive candidate at or after idx
    let lo = 0;
    let hi = hl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hl[mid] < f.idx) lo = mid + 1;
      else hi = mid;
    }
    f.idx = lo < hl.length ? hl[lo] : f.lexed.tokens.length;
  }

  // ---- macro expansion ------------------------------------------------------------

  /** Next token after macro expansion (GCC's cpp_get_token). */
  getToken(): Token {
    for (;;) {
      let result: Token;
      const ctx = this.contexts.length ? this.contexts[this.contexts.length - 1] : null;
      if (!ctx) {
        result = this.lexToken();
      } else if (ctx.pos < ctx.tokens.length) {
        result = ctx.tokens[ctx.pos++];
        if (result.flags & PASTE_LEFT) {
          this.pasteAll(result);
          if (this.inDirective) continue;
          return paddingToken(result);
        }
      } else {
        this.popContext();
        if (this.inDirective) continue;
        return this.avoidPasteToken;
      }
      if (result.kind !== NAME || result.flags & NO_EXPAND) return result;
      const macro = this.macros.get(result.text);
      if (!macro) {
        if (result.text === '_Pragma' && !this.preventExpansion && !this.inDirective) {
          if (this.doPragmaOperator(result)) return paddingToken(result);
        }
        return result;
      }
      if (this.disabled.has(macro)) {
        const painted = copyToken(result);
        painted.flags |= NO_EXPAND;
        return painted;
      }
      if (this.preventExpansion || this.fatal) return result;
      if (this.enterMacro(macro, result)) {
        if (this.inDirective) continue;
        return paddingToken(result);
      }
      return result;
    }
  }

  private popContext(): void {
    const ctx = this.contexts.pop()!;
    if (ctx.macro) {
      const prev = this.contexts[this.contexts.length - 1];
      if (!prev || prev.macro !== ctx.macro) this.disabled.delete(ctx.macro);
    }
  }

  private pushTokens(tokens: Token[], macro: MacroDef | null): void {
    this.contexts.push({ tokens, pos: 0, macro });
  }

  /** Step back over the last token getToken returned. */
  private backup(tok: Token): void {
    const ctx = this.contexts[this.contexts.length - 1];
    if (ctx) ctx.pos--;
    else this.lookahead.push(tok);
  }

  /** `_Pragma("...")`: consumed and dropped, as cpp does in assembler mode. */
  private doPragmaOperator(name: Token): boolean {
    this.preventExpansion++;
    const toks: Token[] = [];
    let t = this.nextNonPadding();
    let ok = false;
    if (t.kind === PUNCT && t.text === '(') {
      toks.push(t);
      t = this.nextNonPadding();
      if (t.kind === STRING) {
        t = this.nextNonPadding();
        ok = t.kind === PUNCT && t.text === ')';
      }
    }
    this.preventExpansion--;
    if (!ok) {
      this.error('_Pragma takes a parenthesized string literal', this.spanOf(name));
      if (t.kind !== EOF) this.backup(t);
    }
    return true;
  }

  private nextNonPadding(): Token {
    for (;;) {
      const t = this.getToken();
      if (t.kind !== PADDING) return t;
    }
  }

  private newExpansion(nameTok: Token, close: Token): number {
    const id = this.expansions.length;
    const inst = nameTok.inst >= 0 ? nameTok.inst : this.currentInst;
    const closeInst = close.inst >= 0 ? close.inst : this.currentInst;
    const sameLine = close !== nameTok && closeInst === inst && close.exp === nameTok.exp && close.line === nameTok.line && close.end > nameTok.pos;
    const parent = nameTok.exp >= 0 ? nameTok.exp : this.argOwner.length ? this.argOwner[this.argOwner.length - 1] : -1;
    this.expansions.push({ inst, pos: nameTok.pos, end: sameLine ? close.end : nameTok.end, parent });
    this.expansionDepth.push(parent >= 0 ? this.expansionDepth[parent] + 1 : 1);
    return id;
  }

  /** Whether `macro` may be expanded at `nameTok` within the limits (else a located error
   *  has been reported and input reading stopped). */
  private allowed(macro: MacroDef, nameTok: Token): boolean {
    return this.nestingAllowed(nameTok, macro) && this.spend(1 + macro.body.length, () => this.spanOf(nameTok));
  }

  /** False (after a located error) when expanding at `nameTok` would nest expansions, or
   *  argument pre-expansions, deeper than the limit. */
  private nestingAllowed(nameTok: Token, macro: MacroDef): boolean {
    const parent = nameTok.exp >= 0 ? nameTok.exp : this.argOwner.length ? this.argOwner[this.argOwner.length - 1] : -1;
    const depth = Math.max(parent >= 0 ? this.expansionDepth[parent] + 1 : 1, this.argOwner.length + 1);
    if (depth <= PREPROCESS_LIMITS.maxExpansionDepth) return true;
    this.error(`macro "${clipText(macro.name, MAX_QUOTED)}" expanded ${depth} levels deep (the limit is ${PREPROCESS_LIMITS.maxExpansionDepth})`, this.spanOf(nameTok));
    this.fatal = true;
    return false;
  }

  /** 0: not expanded (function-like name without arguments, or an error); 1: pushed. */
  private enterMacro(macro: MacroDef, nameTok: Token): number {
    if (macro.builtin) return this.allowed(macro, nameTok) ? this.expandBuiltin(macro, nameTok) : 0;
    let args: MacroArg[] | null = null;
    let close = nameTok;
    if (macro.funLike) {
      this.preventExpansion++;
      this.parsingArgs = 1;
      const got = this.funlikeInvocation(macro, nameTok);
      this.parsingArgs = 0;
      this.preventExpansion--;
      if (!got) return 0;
      args = got.args;
      close = got.close;
    }
    if (!this.allowed(macro, nameTok)) return 0;
    const exp = this.newExpansion(nameTok, close);
    let tokens: Token[];
    if (args && macro.params.length > 0) {
      tokens = this.replaceArgs(macro, args, exp);
    } else {
      tokens = new Array<Token>(macro.body.length);
      for (let i = 0; i < macro.body.length; i++) {
        const t = copyToken(macro.body[i]);
        t.inst = macro.inst;
        t.exp = exp;
        tokens[i] = t;
      }
    }
    this.disabled.add(macro);
    this.pushTokens(tokens, macro);
    return 1;
  }

  private funlikeInvocation(macro: MacroDef, nameTok: Token): { args: MacroArg[]; close: Token } | null {
    let padding: Token | null = null;
    let tok: Token;
    for (;;) {
      tok = this.getToken();
      if (tok.kind !== PADDING) break;
      if (padding === null || padding.source === null || (!(padding.source.flags & PREV_WHITE) && tok.source === null)) padding = tok;
    }
    if (tok.kind === PUNCT && tok.text === '(') {
      this.parsingArgs = 2;
      return this.collectArgs(macro, nameTok);
    }
    if (tok.kind !== EOF || tok === this.argEof) {
      this.backup(tok);
      if (padding) this.pushTokens([padding], null);
    }
    return null;
  }

  private collectArgs(macro: MacroDef, nameTok: Token): { args: MacroArg[]; close: Token } | null {
    const paramc = macro.params.length;
    const args: MacroArg[] = [];
    let tok: Token;
    let argc = 0;
    do {
      argc++;
      const arg: Token[] = [];
      let depth = 0;
      for (;;) {
        tok = this.getToken();
        if (tok.kind === PADDING) {
          if (arg.length === 0) continue;
        } else if (tok.kind === PUNCT) {
          const p = tok.text;
          if (p === '(') depth++;
          else if (p === ')') {
            if (depth-- === 0) break;
          } else if (p === ',') {
            if (depth === 0 && !(macro.variadic && argc === paramc)) break;
          } else if (p === '#' && tok.flags & BOL) break;
        } else if (tok.kind === EOF) break;
        if (tok.inst < 0 && tok.kind !== PADDING) {
          tok = copyToken(tok);
          tok.inst = this.currentInst;
        }
        arg.push(tok);
      }
      while (arg.length && arg[arg.length - 1].kind === PADDING) arg.pop();
      args.push({ first: arg, expanded: null, stringified: null, omitted: false });
    } while (!(tok.kind === PUNCT && tok.text === ')') && tok.kind !== EOF);

    if (tok.kind === EOF) {
      if (tok === this.argEof) this.backup(tok);
      this.error(`unterminated argument list invoking macro "${clipText(macro.name, MAX_QUOTED)}"`, this.spanOf(nameTok));
      return null;
    }
    if (argc === 1 && paramc === 0 && args[0].first.length === 0) argc = 0;
    if (argc !== paramc) {
      if (argc < paramc && argc + 1 === paramc && macro.variadic) {
        args.push({ first: [], expanded: [], stringified: null, omitted: true });
      } else {
        const message =
          argc < paramc
            ? `macro "${clipText(macro.name, MAX_QUOTED)}" requires ${paramc} arguments, but only ${argc} given`
            : `macro "${clipText(macro.name, MAX_QUOTED)}" passed ${argc} arguments, but takes just ${paramc}`;
        this.error(message, this.spanOf(tok), [{ message: `macro "${clipText(macro.name, MAX_QUOTED)}" defined here`, span: spanIn(this.files[macro.inst], macro.pos, macro.end) }]);
        return null;
      }
    } else if (macro.variadic && argc === 1 && args[0].first.length === 0) {
      // GNU: a lone empty variadic argument also swallows `, ## __VA_ARGS__`
      args[0].omitted = true;
    }
    return { args, close: tok };
  }

  private expandArg(arg: MacroArg, exp: number): Token[] {
    if (arg.expanded) return arg.expanded;
    if (arg.first.length === 0) return (arg.expanded = []);
    const tokens = arg.first.slice();
    tokens.push(this.argEof);
    this.pushTokens(tokens, null);
    this.argOwner.push(exp);
    const out: Token[] = [];
    for (;;) {
      const t = this.getToken();
      if (t.kind === EOF) break;
      out.push(t);
    }
    this.argOwner.pop();
    this.popContext();
    arg.expanded = out;
    return out;
  }

  private replaceArgs(macro: MacroDef, args: MacroArg[], exp: number): Token[] {
    const out: Token[] = [];
    const body = macro.body;
    const inDirective = this.inDirective;
    for (let i = 0; i < body.length; i++) {
      const src = body[i];
      if (src.arg < 0) {
        const t = copyToken(src);
        t.inst = macro.inst;
        t.exp = exp;
        out.push(t);
        continue;
      }
      const arg = args[src.arg];
      const prevPaste = i > 0 && (body[i - 1].flags & PASTE_LEFT) !== 0;
      let from: Token[];
      let pasteFlagAt = -1;
      if (src.flags & STRINGIFY_ARG) {
        if (!arg.stringified) arg.stringified = this.stringify(arg, src, macro.inst, exp);
        from = [arg.stringified];
      } else if (src.flags & PASTE_LEFT) {
        from = arg.first;
      } else if (prevPaste) {
        from = arg.first;
        if (out.length) {
          const last = out.length - 1;
          const lt = out[last];
          if (lt.kind === PUNCT && lt.text === ',' && macro.variadic && src.arg === macro.params.length - 1) {
            if (arg.omitted) out.pop();
            else pasteFlagAt = last;
          } else if (from.length === 0) pasteFlagAt = last;
        }
      } else {
        from = this.expandArg(arg, exp);
      }
      if (!inDirective && i > 0 && !prevPaste) out.push(paddingToken(src));
      // an argument copied many times over (`#define M(x) x x`, nested) doubles per level
      if (!this.spend(from.length, () => this.expansionSpan(exp))) return out;
      if (from.length) {
        for (const t of from) {
          if (t.kind === PADDING || t.exp >= 0) out.push(t);
          else {
            const c = copyToken(t);
            c.exp = exp;
            out.push(c);
          }
        }
        if (src.flags & PASTE_LEFT) pasteFlagAt = out.length - 1;
      }
      if (!inDirective && !(src.flags & PASTE_LEFT)) out.push(this.avoidPasteToken);
      if (pasteFlagAt >= 0) {
        const t = copyToken(out[pasteFlagAt]);
        t.flags = (t.flags & ~PASTE_LEFT) | (src.flags & PASTE_LEFT);
        out[pasteFlagAt] = t;
      }
    }
    return out;
  }

  private stringify(arg: MacroArg, src: Token, inst: number, exp: number): Token {
    const { text, droppedBackslash } = stringifySpelling(arg.first);
    if (droppedBackslash) this.warning("invalid string literal, ignoring final '\\'", this.spanOf({ ...src, inst }));
    const tok = makeToken(STRING, text, 0, src.pos, src.end, src.line);
    tok.inst = inst;
    tok.exp = exp;
    tok.synthetic = true;
    return tok;
  }

  private pasteAll(lhs: Token): void {
    const ctx = this.contexts[this.contexts.length - 1];
    let cur = lhs;
    let rhs: Token;
    do {
      if (ctx.pos >= ctx.tokens.length) break;
      rhs = ctx.tokens[ctx.pos++];
      if (rhs.kind === PADDING) continue;
      const pasted = this.pasteTokens(cur, rhs);
      if (!pasted) {
        ctx.pos--;
        break;
      }
      cur = pasted;
    } while (rhs.flags & PASTE_LEFT);
    if (cur.flags & PASTE_LEFT) {
      cur = copyToken(cur);
      cur.flags &= ~PASTE_LEFT;
    }
    this.pushTokens([cur], null);
  }

  /** lhs ## rhs as one token, or null when the spellings do not form one token. */
  private pasteTokens(lhs: Token, rhs: Token): Token | null {
    const r = pasteSpelling(lhs, rhs);
    if (!r) return null;
    const tok = makeToken(r.kind, r.text, lhs.flags & PREV_WHITE, lhs.pos, lhs.end, lhs.line);
    tok.inst = lhs.inst >= 0 ? lhs.inst : this.currentInst;
    tok.exp = lhs.exp;
    tok.synthetic = true;
    return tok;
  }

  private expandBuiltin(macro: MacroDef, nameTok: Token): number {
    let text: string;
    let kind: typeof NUMBER | typeof STRING = NUMBER;
    switch (macro.builtin) {
      case '__LINE__': {
        let line = nameTok.line;
        let e = nameTok.exp;
        while (e >= 0) {
          const site = this.expansions[e];
          line = posOf(this.files[site.inst], site.pos).line;
          e = site.parent;
        }
        text = String(line);
        break;
      }
      case '__FILE__':
      case '__BASE_FILE__': {
        const f = macro.builtin === '__FILE__' ? (this.currentFrame?.lexed.path ?? this.mainFile) : this.mainFile;
        text = `"${f.replace(/[\\"]/g, '\\$&')}"`;
        kind = STRING;
        break;
      }
      case '__COUNTER__':
        text = String(this.counter++);
        break;
      case '__INCLUDE_LEVEL__':
        text = String(Math.max(0, this.frames.length - 1));
        break;
      default:
        return 0;
    }
    const exp = this.newExpansion(nameTok, nameTok);
    const tok = makeToken(kind, text, 0, nameTok.pos, nameTok.end, nameTok.line);
    tok.inst = nameTok.inst >= 0 ? nameTok.inst : this.currentInst;
    tok.exp = exp;
    tok.synthetic = true;
    this.pushTokens([tok], null);
    return 1;
  }

  // ---- driver -------------------------------------------------------------------------

  /** Preprocess the main file (already loaded) into the printer. */
  run(): void {
    for (;;) {
      const t = this.getToken();
      if (t.kind === EOF) {
        if (!this.frames.length || this.fatal) break;
        continue;
      }
      this.printer.stream(t, t.inst >= 0 ? t.inst : this.currentInst);
      // the limit is never below minOutput: below it, no per-token call of the getter
      const printed = this.printer.length;
      if (printed > PREPROCESS_LIMITS.minOutput && printed > this.outputLimit && !this.fatal) {
        this.error(`preprocessed text too large: more than ${this.outputLimit} bytes from ${this.inputBytes} bytes of input`, this.spanOf(t));
        this.fatal = true;
        // what is still queued in macro contexts is dropped, not printed
        this.contexts.length = 0;
        break;
      }
    }
  }

  /** Resolve an #include name; returns the path and where in the chain it was found. */
  findInclude(name: string, angled: boolean, next: boolean): { file: string; foundIn: number } | null {
    const host = this.opts.host;
    if (path.isAbsolute(name)) return host.isFile(name) ? { file: name, foundIn: -1 } : null;
    const frame = this.currentFrame;
    let start = 0;
    if (next && frame && frame.foundIn >= 0) start = frame.foundIn + 1;
    else if (!angled && !next && frame) {
      const dir = dirOf(frame.lexed.path);
      const p = dir ? `${dir}/${name}` : name;
      if (host.isFile(p)) return { file: p, foundIn: -1 };
    }
    const dirs = this.opts.includeDirs;
    for (let i = start; i < dirs.length; i++) {
      const d = dirs[i];
      const p = d ? `${d.replace(/\/+$/, '')}/${name}` : name;
      if (host.isFile(p)) return { file: p, foundIn: i };
    }
    return null;
  }
}

function sameBytes(a: Buffer, b: Uint8Array): boolean {
  return a.length === b.length && a.equals(b);
}

export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}
