// #define parsing into a macro body with GCC's markings: parameters become argument
// references, `#param` one STRINGIFY_ARG token, `a ## b` a PASTE_LEFT flag on `a`.
import { MAX_QUOTED, clipText } from '../report/safe-text.js';
import { copyToken, NAME, PASTE_LEFT, PREV_WHITE, PUNCT, STRINGIFY_ARG, type Token } from './tokens.js';

export interface MacroDef {
  name: string;
  funLike: boolean;
  params: string[];
  variadic: boolean;
  body: Token[];
  /** file instance and offset of the name in the #define (for notes) */
  inst: number;
  pos: number;
  end: number;
  /** built-in computed at use (__LINE__, __FILE__, __COUNTER__ ...) */
  builtin?: string;
}

export type DefineResult = { ok: true; macro: MacroDef } | { ok: false; message: string; at: Token | null };

/** `toks` are the directive's tokens after `define` (same logical line). */
/** Body tokens keep inst -1: the macro's `inst` is filled in per run (parses are cached). */
export function parseDefine(toks: Token[]): DefineResult {
  const nameTok = toks[0];
  if (!nameTok) return { ok: false, message: 'no macro name given in #define directive', at: null };
  if (nameTok.kind !== NAME) return { ok: false, message: 'macro names must be identifiers', at: nameTok };
  if (nameTok.text === 'defined') return { ok: false, message: '"defined" cannot be used as a macro name', at: nameTok };
  const macro: MacroDef = { name: nameTok.text, funLike: false, params: [], variadic: false, body: [], inst: -1, pos: nameTok.pos, end: nameTok.end };
  let i = 1;
  const open = toks[1];
  if (open && open.kind === PUNCT && open.text === '(' && !(open.flags & PREV_WHITE)) {
    macro.funLike = true;
    i = 2;
    const err = parseParams(toks, macro, () => i, (v) => (i = v));
    if (err) return err;
  }
  // the lexed tokens are shared (a lexed file is cached) and never changed: a body token
  // is a copy only where its marking differs from the token as lexed
  const body: Token[] = [];
  let followingPaste = false;
  for (; i < toks.length; i++) {
    const src = toks[i];
    let tok = src;
    if (tok.kind === NAME && macro.funLike) {
      const idx = macro.params.indexOf(tok.text);
      if (idx >= 0) {
        tok = copyToken(src);
        tok.arg = idx;
      } else if (tok.text === '__VA_ARGS__' && !(macro.variadic && macro.params[macro.params.length - 1] === '__VA_ARGS__')) {
        // GCC pedwarns; keep it as a plain identifier
      }
    }
    if (tok.kind === PUNCT && tok.text === '##') {
      if (body.length === 0) return { ok: false, message: "'##' cannot appear at either end of a macro expansion", at: src };
      const prev = copyToken(body[body.length - 1]);
      prev.flags |= PASTE_LEFT;
      body[body.length - 1] = prev;
      followingPaste = true;
      continue;
    }
    if (macro.funLike && body.length > 0) {
      const prev = body[body.length - 1];
      if (prev.kind === PUNCT && prev.text === '#' && !(prev.flags & PASTE_LEFT) && prev.arg < 0 && prevIsHashOperator(body)) {
        if (tok.arg >= 0) {
          // `# param`: one stringify token that takes the #'s spacing (tok is a copy: arg set)
          tok.flags = (tok.flags & ~PREV_WHITE) | STRINGIFY_ARG | (prev.flags & PREV_WHITE);
          tok.pos = prev.pos;
          body[body.length - 1] = tok;
          followingPaste = false;
          continue;
        }
        // assembler mode lets a lone # through as an ordinary token
      }
    }
    followingPaste = false;
    body.push(tok);
  }
  if (followingPaste) return { ok: false, message: "'##' cannot appear at either end of a macro expansion", at: toks[toks.length - 1] };
  if (body.length && body[0].flags & PREV_WHITE) {
    const first = copyToken(body[0]);
    first.flags &= ~PREV_WHITE;
    body[0] = first;
  }
  macro.body = body;
  return { ok: true, macro };
}

// A `#` is the stringify operator only when it is a body token of its own (not the
// result of an earlier `#param` rewrite, which carries STRINGIFY_ARG instead).
function prevIsHashOperator(body: Token[]): boolean {
  return !(body[body.length - 1].flags & STRINGIFY_ARG);
}

function parseParams(toks: Token[], macro: MacroDef, get: () => number, set: (v: number) => void): DefineResult | null {
  let i = get();
  const fail = (message: string, at: Token | null): DefineResult => ({ ok: false, message, at });
  let expectName = true;
  for (;;) {
    const t = toks[i];
    if (!t) return fail('missing \')\' in macro parameter list', toks[i - 1] ?? null);
    if (t.kind === PUNCT && t.text === ')') {
      if (expectName && macro.params.length > 0) return fail('parameter name missing', t);
      i++;
      break;
    }
    if (expectName) {
      if (t.kind === PUNCT && t.text === '...') {
        macro.variadic = true;
        macro.params.push('__VA_ARGS__');
        i++;
        const close = toks[i];
        if (!close || close.kind !== PUNCT || close.text !== ')') return fail("missing ')' after \"...\"", close ?? t);
        i++;
        break;
      }
      if (t.kind !== NAME) return fail(`expected parameter name, found "${clipText(t.text, MAX_QUOTED)}"`, t);
      if (t.text === '__VA_ARGS__') return fail('__VA_ARGS__ can only appear in the expansion of a C99 variadic macro', t);
      if (macro.params.includes(t.text)) return fail(`duplicate macro parameter "${clipText(t.text, MAX_QUOTED)}"`, t);
      macro.params.push(t.text);
      i++;
      const next = toks[i];
      if (next && next.kind === PUNCT && next.text === '...') {
        // GNU named variadic parameter: `args...`
        macro.variadic = true;
        i++;
        const close = toks[i];
        if (!close || close.kind !== PUNCT || close.text !== ')') return fail("missing ')' after \"...\"", close ?? next);
        i++;
        break;
      }
      expectName = false;
      continue;
    }
    if (t.kind === PUNCT && t.text === ',') {
      expectName = true;
      i++;
      continue;
    }
    return fail(`expected ',' or ')', found "${clipText(t.text, MAX_QUOTED)}"`, t);
  }
  set(i);
  return null;
}

/** Same definition? (redefinition check: spelling and whitespace placement) */
export function sameDefinition(a: MacroDef, b: MacroDef): boolean {
  if (a.funLike !== b.funLike || a.variadic !== b.variadic || a.params.length !== b.params.length) return false;
  for (let i = 0; i < a.params.length; i++) if (a.params[i] !== b.params[i]) return false;
  if (a.body.length !== b.body.length) return false;
  for (let i = 0; i < a.body.length; i++) {
    const x = a.body[i];
    const y = b.body[i];
    if (x.text !== y.text || x.arg !== y.arg || (x.flags & (PREV_WHITE | PASTE_LEFT | STRINGIFY_ARG)) !== (y.flags & (PREV_WHITE | PASTE_LEFT | STRINGIFY_ARG))) return false;
  }
  return true;
}
