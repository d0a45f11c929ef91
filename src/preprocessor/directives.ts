// Directive handling. In assembler-with-cpp mode a `#` line whose first word is not a
// directive (`#address-cells = <2>;`) is ordinary text, so handleDirective reports
// whether it consumed the line.
import { parseDefine } from './define.js';
import { MAX_QUOTED, clipText } from '../report/safe-text.js';
import type { Preprocessor } from './engine.js';
import { evaluateExpression } from './expr.js';
import type { LexedFile } from './lexer.js';
import type { SourceSpan } from '../report/source.js';
import { posOf, spanIn } from './sourcemap.js';
import { BOL, copyToken, EOF, NAME, PADDING, PREV_WHITE, PUNCT, STRING, type Token } from './tokens.js';

export interface Conditional {
  directive: string;
  /** the directive name token, with its file instance filled in */
  at: Token;
  /** the group is inside an outer skipped group */
  wasSkipping: boolean;
  /** a branch of this #if chain was taken */
  taken: boolean;
  sawElse: boolean;
}

const DIRECTIVES = new Set([
  'define',
  'include',
  'include_next',
  'import',
  'undef',
  'if',
  'ifdef',
  'ifndef',
  'elif',
  'elifdef',
  'elifndef',
  'else',
  'endif',
  'line',
  'error',
  'warning',
  'pragma',
  'ident',
  'sccs',
  'assert',
  'unassert',
]);

const CONDITIONALS = new Set(['if', 'ifdef', 'ifndef', 'elif', 'elifdef', 'elifndef', 'else', 'endif']);

/** Handle the directive starting at `hash`; false when the line is not a directive. */
export function handleDirective(pp: Preprocessor, hash: Token): boolean {
  const nameTok = pp.peekLine();
  if (!nameTok) return true; // the null directive
  if (nameTok.kind !== NAME || !DIRECTIVES.has(nameTok.text)) return pp.skipping;
  const name = nameTok.text;
  if (pp.skipping && !CONDITIONALS.has(name)) return true;
  pp.currentFrame!.idx++;
  switch (name) {
    case 'define':
      doDefine(pp);
      break;
    case 'undef':
      doUndef(pp, nameTok);
      break;
    case 'include':
    case 'include_next':
    case 'import':
      doInclude(pp, hash, nameTok);
      break;
    case 'if':
      pushConditional(pp, nameTok, () => evalIf(pp, nameTok));
      break;
    case 'ifdef':
    case 'ifndef':
      pushConditional(pp, nameTok, () => evalIfdef(pp, nameTok, name === 'ifdef'));
      break;
    case 'elif':
    case 'elifdef':
    case 'elifndef':
      doElif(pp, nameTok);
      break;
    case 'else':
      doElse(pp, nameTok);
      break;
    case 'endif':
      doEndif(pp, nameTok);
      break;
    case 'error':
    case 'warning': {
      const text = lineText(pp.restOfLine());
      const message = `#${name}${text ? ' ' + clipText(text, 1000) : ''}`;
      if (name === 'error') pp.error(message, pp.spanOf(nameTok));
      else pp.warning(message, pp.spanOf(nameTok));
      break;
    }
    case 'pragma': {
      const t = pp.peekLine();
      if (t && t.kind === NAME && t.text === 'once') pp.onceFiles.add(pp.currentFrame!.lexed.path);
      break;
    }
    default:
      // #line, #ident, #sccs, #assert, #unassert: nothing to do for device trees
      break;
  }
  return true;
}

function lineText(toks: Token[]): string {
  const parts: string[] = [];
  for (const t of toks) {
    if (parts.length && t.flags & PREV_WHITE) parts.push(' ');
    parts.push(t.text);
  }
  return parts.join('');
}

function stamped(pp: Preprocessor, t: Token): Token {
  if (t.inst >= 0) return t;
  const c = copyToken(t);
  c.inst = pp.currentInst;
  return c;
}

function doDefine(pp: Preprocessor): void {
  const f = pp.currentFrame!;
  const key = f.idx;
  let r = f.lexed.defines?.get(key);
  if (r) pp.skipRestOfLine();
  else {
    r = parseDefine(pp.restOfLine());
    (f.lexed.defines ??= new Map()).set(key, r);
  }
  if (!r.ok) {
    pp.error(r.message, r.at ? pp.spanOf(r.at) : undefined);
    return;
  }
  pp.define({ ...r.macro, inst: f.inst }, f.lexed.tokens[key]);
}

function doUndef(pp: Preprocessor, nameTok: Token): void {
  const t = pp.peekLine();
  if (!t) {
    pp.error('no macro name given in #undef directive', pp.spanOf(nameTok));
    return;
  }
  if (t.kind !== NAME) {
    pp.error('macro names must be identifiers', pp.spanOf(t));
    return;
  }
  if (t.text === 'defined') {
    pp.error('"defined" cannot be used as a macro name', pp.spanOf(t));
    return;
  }
  pp.macros.delete(t.text);
}

// ---- conditionals ------------------------------------------------------------------

function pushConditional(pp: Preprocessor, nameTok: Token, evaluate: () => boolean): void {
  const wasSkipping = pp.skipping;
  const taken = wasSkipping ? false : evaluate();
  pp.conds.push({ directive: nameTok.text, at: stamped(pp, nameTok), wasSkipping, taken, sawElse: false });
  pp.skipping = wasSkipping || !taken;
}

function evalIfdef(pp: Preprocessor, nameTok: Token, wantDefined: boolean): boolean {
  const t = pp.peekLine();
  if (!t) {
    pp.error(`no macro name given in #${nameTok.text} directive`, pp.spanOf(nameTok));
    return false;
  }
  if (t.kind !== NAME) {
    pp.error('macro names must be identifiers', pp.spanOf(t));
    return false;
  }
  return pp.macros.has(t.text) === wantDefined;
}

function evalIf(pp: Preprocessor, nameTok: Token): boolean {
  const r = evaluateExpression({
    next: () => {
      for (;;) {
        const t = pp.getToken();
        if (t.kind !== PADDING) return t;
      }
    },
    preventExpansion: (on) => {
      pp.preventExpansion += on ? 1 : -1;
    },
    isDefined: (name) => pp.macros.has(name),
    hasInclude: (name, angled) => pp.findInclude(name, angled, false) !== null,
  });
  if (r.ok) return r.value;
  pp.error(r.message, r.at && r.at.kind !== EOF ? pp.spanOf(r.at) : pp.spanOf(nameTok));
  return false;
}

function doElif(pp: Preprocessor, nameTok: Token): void {
  const c = pp.conds[pp.conds.length - 1];
  const frame = pp.currentFrame!;
  if (!c || pp.conds.length <= frame.condBase) {
    pp.error(`#${nameTok.text} without #if`, pp.spanOf(nameTok));
    return;
  }
  if (c.sawElse) {
    pp.error(`#${nameTok.text} after #else`, pp.spanOf(nameTok));
  }
  if (c.wasSkipping) return;
  if (c.taken) {
    pp.skipping = true;
    return;
  }
  pp.skipping = false; // the condition is evaluated as live code
  let v: boolean;
  if (nameTok.text === 'elif') v = evalIf(pp, nameTok);
  else v = evalIfdef(pp, nameTok, nameTok.text === 'elifdef');
  c.taken = v;
  pp.skipping = !v;
}

function doElse(pp: Preprocessor, nameTok: Token): void {
  const c = pp.conds[pp.conds.length - 1];
  const frame = pp.currentFrame!;
  if (!c || pp.conds.length <= frame.condBase) {
    pp.error('#else without #if', pp.spanOf(nameTok));
    return;
  }
  if (c.sawElse) pp.error('#else after #else', pp.spanOf(nameTok));
  c.sawElse = true;
  pp.skipping = c.wasSkipping || c.taken;
  c.taken = true;
}

function doEndif(pp: Preprocessor, nameTok: Token): void {
  const frame = pp.currentFrame!;
  if (pp.conds.length <= frame.condBase) {
    pp.error('#endif without #if', pp.spanOf(nameTok));
    return;
  }
  const c = pp.conds.pop()!;
  pp.skipping = c.wasSkipping;
}

// ---- #include --------------------------------------------------------------------------

/** The include-guard macro of a file wrapped whole in `#ifndef X ... #endif`, else null. */
export function includeGuard(lexed: LexedFile): string | null {
  if (lexed.guard !== undefined) return lexed.guard;
  let guard: string | null = null;
  const toks = lexed.tokens;
  const hl = lexed.hashLines;
  const dirName = (h: number): string => {
    const t = toks[h + 1];
    return t && !(t.flags & BOL) && t.kind === NAME ? t.text : '';
  };
  if (hl.length >= 2 && hl[0] === 0 && dirName(0) === 'ifndef') {
    const name = toks[2];
    if (name && !(name.flags & BOL) && name.kind === NAME && (!toks[3] || toks[3].flags & BOL)) {
      let depth = 0;
      for (let k = 0; k < hl.length; k++) {
        const d = dirName(hl[k]);
        if (d === 'if' || d === 'ifdef' || d === 'ifndef') depth++;
        else if (d === 'endif' && --depth === 0) {
          let j = hl[k] + 1;
          while (j < toks.length && !(toks[j].flags & BOL)) j++;
          if (j === toks.length) guard = name.text;
          break;
        }
      }
    }
  }
  lexed.guard = guard;
  return guard;
}

function doInclude(pp: Preprocessor, hash: Token, nameTok: Token): void {
  const frame = pp.currentFrame!;
  const first = pp.peekLine();
  let name: string | null = null;
  let angled = false;
  let span: SourceSpan | undefined;
  if (first && first.kind === STRING) {
    name = first.text.slice(1, -1);
  } else if (first && first.kind === PUNCT && first.text === '<') {
    const text = frame.lexed.text;
    const nl = text.indexOf('\n', first.pos);
    const gt = text.indexOf('>', first.pos + 1);
    if (gt >= 0 && (nl < 0 || gt < nl)) {
      name = text.slice(first.pos + 1, gt);
      angled = true;
      span = spanIn(pp.files[frame.inst], first.pos, gt + 1);
    }
  } else if (first) {
    const toks: Token[] = [];
    for (;;) {
      const t = pp.getToken();
      if (t.kind === EOF) break;
      if (t.kind !== PADDING) toks.push(t);
    }
    if (toks[0]?.kind === STRING) name = toks[0].text.slice(1, -1);
    else if (toks[0]?.kind === PUNCT && toks[0].text === '<') {
      const parts: string[] = [];
      for (let i = 1; i < toks.length && !(toks[i].kind === PUNCT && toks[i].text === '>'); i++) {
        if (parts.length && toks[i].flags & PREV_WHITE) parts.push(' ');
        parts.push(toks[i].text);
      }
      name = parts.join('');
      angled = true;
    }
  }
  const directive = nameTok.text;
  const nameSpan = (): SourceSpan => span ?? pp.spanOf(first ?? nameTok);
  if (name === null) {
    pp.error(`#${directive} expects "FILENAME" or <FILENAME>`, pp.spanOf(nameTok));
    return;
  }
  if (name === '') {
    pp.error(`empty filename in #${directive}`, nameSpan());
    return;
  }
  const found = pp.findInclude(name, angled, directive === 'include_next');
  if (!found) {
    pp.error(`'${clipText(name, MAX_QUOTED)}' file not found`, nameSpan());
    pp.fatal = true;
    return;
  }
  pp.skipRestOfLine();
  const file = found.file;
  if (pp.onceFiles.has(file)) return;
  const lexed = pp.loadFile(file);
  if (!lexed) {
    pp.error(`'${clipText(name, MAX_QUOTED)}' could not be read`, nameSpan());
    pp.fatal = true;
    return;
  }
  if (directive === 'import') pp.onceFiles.add(file);
  const guard = includeGuard(lexed);
  if (guard !== null && pp.macros.has(guard)) return;
  const max = pp.opts.maxIncludeDepth;
  if (pp.frames.length >= max) {
    pp.error(`#include nested depth ${pp.frames.length} exceeds maximum of ${max}`, nameSpan());
    return;
  }
  const onStack = pp.frames.findIndex((f) => f.lexed.path === file);
  if (onStack >= 0 && guard === null) {
    const chain = pp.frames.slice(onStack).map((f) => f.lexed.path);
    chain.push(file);
    pp.error(`#include cycle: ${chain.join(' -> ')}`, nameSpan());
    return;
  }
  pp.pushFile(lexed, posOf(pp.files[frame.inst], hash.pos), found.foundIn);
}
