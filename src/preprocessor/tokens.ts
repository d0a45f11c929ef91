// Preprocessing tokens as GCC's cpp sees them in assembler-with-cpp mode, plus the
// paste-avoidance rule its output writer uses (spacing must match for dtc to tokenize
// the output the same way).

export const NAME = 1;
export const NUMBER = 2;
export const CHAR = 3;
export const STRING = 4;
/** anything else: stray characters, unterminated quotes (rest of line in asm mode) */
export const OTHER = 5;
export const PUNCT = 6;
/** zero-width marker carrying spacing information (GCC's CPP_PADDING) */
export const PADDING = 7;
export const EOF = 8;

export type TokenKind = typeof NAME | typeof NUMBER | typeof CHAR | typeof STRING | typeof OTHER | typeof PUNCT | typeof PADDING | typeof EOF;

/** whitespace (or a comment) preceded the token */
export const PREV_WHITE = 1;
/** first token of a logical line */
export const BOL = 2;
/** painted: a disabled macro's name, never to be expanded again */
export const NO_EXPAND = 4;
/** left operand of ## in a macro body */
export const PASTE_LEFT = 8;
/** parameter preceded by # in a macro body */
export const STRINGIFY_ARG = 16;

export interface Token {
  kind: TokenKind;
  text: string;
  flags: number;
  /** offsets in the original text of the file the token was spelled in */
  pos: number;
  end: number;
  /** 1-based physical line of `pos` */
  line: number;
  /** file instance (index in the run's file table); -1 = the file being lexed now */
  inst: number;
  /** macro expansion the token came out of (index in the run's expansion table), -1 none */
  exp: number;
  /** macro parameter index for parameter references in a macro body, else -1 */
  arg: number;
  /** PADDING only: the token whose PREV_WHITE decides the spacing (null = avoid paste) */
  source: Token | null;
  /** synthesized text (stringify, paste, builtin): maps to [pos,end) as a whole */
  synthetic: boolean;
}

export function makeToken(kind: TokenKind, text: string, flags: number, pos: number, end: number, line: number): Token {
  return { kind, text, flags, pos, end, line, inst: -1, exp: -1, arg: -1, source: null, synthetic: false };
}

export function copyToken(t: Token): Token {
  return {
    kind: t.kind,
    text: t.text,
    flags: t.flags,
    pos: t.pos,
    end: t.end,
    line: t.line,
    inst: t.inst,
    exp: t.exp,
    arg: t.arg,
    source: t.source,
    synthetic: t.synthetic,
  };
}

export function paddingToken(source: Token | null): Token {
  const t = makeToken(PADDING, '', 0, 0, 0, 0);
  t.source = source;
  return t;
}

export function isPunct(t: Token, text: string): boolean {
  return t.kind === PUNCT && t.text === text;
}

// Punctuators that can take a following '=' to form a longer operator (GCC's
// CPP_EQ .. CPP_LAST_EQ range).
const pastesWithEq = new Set(['=', '!', '>', '<', '+', '-', '*', '/', '%', '&', '|', '^', '>>', '<<']);

function isIdentifierText(s: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s);
}

/** Would printing `b` right after `a` make them lex as something else? (GCC's cpp_avoid_paste) */
export function avoidPaste(a: Token, b: Token): boolean {
  const c = b.kind === PUNCT ? b.text.charCodeAt(0) : -1;
  if (a.kind === PUNCT) {
    const at = a.text;
    if (c === 61 /* = */ && pastesWithEq.has(at)) return true;
    switch (at) {
      case '>':
        return c === 62;
      case '<':
        return c === 60 || c === 37 || c === 58;
      case '+':
        return c === 43;
      case '-':
        return c === 45 || c === 62;
      case '/':
        return c === 47 || c === 42;
      case '%':
        return c === 58 || c === 37;
      case '&':
        return c === 38;
      case '|':
        return c === 124;
      case ':':
        return c === 58 || c === 62;
      case '->':
        return c === 42;
      case '.':
        return c === 46 || c === 37 || b.kind === NUMBER;
      case '#':
        return c === 35 || c === 37;
      case '<=':
        return c === 62;
      default:
        return false;
    }
  }
  switch (a.kind) {
    case NAME:
      return (b.kind === NUMBER && isIdentifierText(b.text)) || b.kind === NAME || b.kind === CHAR || b.kind === STRING;
    case NUMBER:
      return b.kind === NUMBER || b.kind === NAME || b.kind === CHAR || c === 46 || c === 43 || c === 45;
    case OTHER:
      return a.text.charCodeAt(0) === 92 /* \ */ && b.kind === NAME;
    default:
      return false;
  }
}
