// Lexes a whole file into preprocessing tokens once (the result is immutable and can be
// cached across runs): line splices, C and C++ comments, asm-mode quotes.
import type { DefineResult } from './define.js';
import { BOL, CHAR, NAME, NUMBER, OTHER, PREV_WHITE, PUNCT, STRING, type Token, type TokenKind } from './tokens.js';

export interface LexError {
  pos: number;
  message: string;
}

export interface LexedFile {
  path: string;
  text: string;
  /** the file's bytes (text is their latin1 decoding): output copies runs from here */
  bytes: Buffer;
  tokens: Token[];
  /** offsets where each physical line starts */
  lineStarts: Int32Array;
  /** indexes in `tokens` of every `#` that starts a logical line (directive candidates) */
  hashLines: Int32Array;
  errors: LexError[];
  /** include-guard macro (#ifndef X ... #endif around the whole file), computed lazily */
  guard?: string | null;
  /** parsed #define lines by token index of the macro name (cache across runs) */
  defines?: Map<number, DefineResult>;
}

/** Length of the C punctuator starting at i (first char code c), 0 if none. */
function punctLength(src: string, i: number, c: number): number {
  const d = src.charCodeAt(i + 1);
  switch (c) {
    case 91: // [
    case 93: // ]
    case 40: // (
    case 41: // )
    case 123: // {
    case 125: // }
    case 126: // ~
    case 63: // ?
    case 58: // :
    case 59: // ;
    case 44: // ,
      return 1;
    case 46: // . ...
      return d === 46 && src.charCodeAt(i + 2) === 46 ? 3 : 1;
    case 45: // - -> -- -=
      return d === 62 || d === 45 || d === 61 ? 2 : 1;
    case 43: // + ++ +=
      return d === 43 || d === 61 ? 2 : 1;
    case 38: // & && &=
      return d === 38 || d === 61 ? 2 : 1;
    case 124: // | || |=
      return d === 124 || d === 61 ? 2 : 1;
    case 42: // * *=
    case 33: // ! !=
    case 47: // / /=
    case 37: // % %=
    case 61: // = ==
    case 94: // ^ ^=
      return d === 61 ? 2 : 1;
    case 60: // < << <<= <=
    case 62: // > >> >>= >=
      if (d === c) return src.charCodeAt(i + 2) === 61 ? 3 : 2;
      return d === 61 ? 2 : 1;
    case 35: // # ##
      return d === 35 ? 2 : 1;
    default:
      return 0;
  }
}

const CC_NL = 10;



function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}


export function computeLineStarts(text: string): Int32Array {
  const starts: number[] = [0];
  let i = text.indexOf('\n');
  while (i >= 0) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return Int32Array.from(starts);
}

/** 1-based line containing offset (binary search). */
export function lineOf(lineStarts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Backslash-newline splices removed; `origin` maps clean offsets back (null when none). */
interface CleanText {
  clean: string;
  /** sorted clean offsets at which characters were removed, and how many before each */
  at: number[];
  removed: number[];
}

function removeSplices(text: string): CleanText | null {
  if (!/\\[ \t\r]*\n/.test(text)) return null;
  const parts: string[] = [];
  const at: number[] = [];
  const removed: number[] = [];
  const re = /\\[ \t\r]*\n/g;
  let last = 0;
  let cleanLen = 0;
  let total = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    parts.push(text.slice(last, m.index));
    cleanLen += m.index - last;
    total += m[0].length;
    at.push(cleanLen);
    removed.push(total);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return { clean: parts.join(''), at, removed };
}

function originOf(ct: CleanText, offset: number, isEnd: boolean): number {
  // number of splices at clean offsets <= offset (< for ends, so a token ending right
  // before a splice ends before the backslash)
  let lo = 0;
  let hi = ct.at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (isEnd ? ct.at[mid] < offset : ct.at[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? offset : offset + ct.removed[lo - 1];
}

// Sticky scanners for runs: native regex matching keeps lexing fast even before the JIT
// has warmed up (a CLI run lexes every header once, cold).
const WHITE_RE = /[ \t\r\f\v]*/y;
const NAME_RE = /[A-Za-z0-9_$]*/y;
// Quoted literals and pp-numbers are scanned by loops, not regexes: an alternation under
// `*` costs the regex engine backtracking state per character, and a 10 MB token then
// overflows its stack.

/** End of a pp-number starting before `i` (GCC: [A-Za-z0-9_$.] and e+ e- E+ E-). */
function numberEnd(src: string, i: number): number {
  const n = src.length;
  for (;;) {
    if (i >= n) return i;
    const c = src.charCodeAt(i);
    if ((c === 101 || c === 69) && (src.charCodeAt(i + 1) === 43 || src.charCodeAt(i + 1) === 45)) i += 2;
    else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 46) i++;
    else return i;
  }
}

/** Offset after the closing `quote` of a literal whose body starts at `i`, or -1 when the
 *  line ends first (a backslash escapes any character but a newline). */
function quotedEnd(src: string, i: number, quote: number): number {
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === CC_NL) return -1;
    if (c === 92 /* \ */) {
      if (i + 1 >= n || src.charCodeAt(i + 1) === CC_NL) return -1;
      i += 2;
    } else i++;
  }
  return -1;
}

/** Why `text` is not source text at all (a DTB, or a file with a NUL byte outside a
 *  string literal), with the offset to point at; undefined for text. Checked before
 *  lexing, so that a 50 MB binary costs one scan and one short error, not millions of
 *  tokens. dtc keeps a NUL inside a string literal (its own tests have two), so those
 *  pass: from the first NUL's line on, one scan tracks whether a `"` is open. */
export function binaryInput(text: string): LexError | undefined {
  if (text.startsWith('\xd0\x0d\xfe\xed')) {
    return { pos: 0, message: "this is a flattened device tree blob (magic 0xd00dfeed), not source text: read it with 'dtkit decompile'" };
  }
  const first = text.indexOf('\0');
  if (first < 0) return undefined;
  let inString = false;
  for (let i = text.lastIndexOf('\n', first) + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CC_NL) inString = false;
    else if (c === 34 /* " */) inString = !inString;
    else if (c === 92 /* \ */ && inString) i++;
    else if (c === 0 && !inString) return { pos: i, message: 'NUL byte in the input: this is a binary file, not device-tree source text' };
  }
  return undefined;
}

export function lexFile(path: string, text: string, bytes?: Uint8Array): LexedFile {
  const lineStarts = computeLineStarts(text);
  const binary = binaryInput(text);
  if (binary) {
    const b = bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) : Buffer.from(text, 'latin1');
    return { path, text, bytes: b, tokens: [], lineStarts, hashLines: new Int32Array(0), errors: [binary] };
  }
  const spliced = removeSplices(text);
  const src = spliced ? spliced.clean : text;
  const n = src.length;
  const tokens: Token[] = [];
  const hashLines: number[] = [];
  const errors: LexError[] = [];
  const nLines = lineStarts.length;
  let bol = true;
  let white = false;
  let i = 0;
  let lineIdx = 0; // index into lineStarts for the current original offset (monotonic)

  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === CC_NL) {
      bol = true;
      white = false;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      WHITE_RE.lastIndex = i + 1;
      WHITE_RE.test(src);
      i = WHITE_RE.lastIndex;
      white = true;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (c === 47 /* / */) {
      const d = src.charCodeAt(i + 1);
      if (d === 42 /* * */) {
        const close = src.indexOf('*/', i + 2);
        if (close < 0) {
          errors.push({ pos: spliced ? originOf(spliced, i, false) : i, message: 'unterminated comment' });
          i = n;
          break;
        }
        white = true;
        i = close + 2;
        continue;
      }
      if (d === 47) {
        const nl = src.indexOf('\n', i + 2);
        i = nl < 0 ? n : nl;
        white = true;
        continue;
      }
      kind = PUNCT;
      i += d === 61 ? 2 : 1;
    } else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36) {
      NAME_RE.lastIndex = i + 1;
      NAME_RE.test(src);
      i = NAME_RE.lastIndex;
      kind = NAME;
    } else if ((c >= 48 && c <= 57) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      i = numberEnd(src, i + 1);
      kind = NUMBER;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      const end = quotedEnd(src, i + 1, c);
      if (end >= 0) {
        i = end;
        kind = c === 34 ? STRING : CHAR;
      } else {
        // asm mode: an unmatched quote makes the rest of the line one OTHER token
        const nl = src.indexOf('\n', i + 1);
        i = nl < 0 ? n : nl;
        kind = OTHER;
      }
    } else {
      const plen = punctLength(src, i, c);
      i += plen || 1;
      kind = plen ? PUNCT : OTHER;
    }
    const pos = spliced ? originOf(spliced, start, false) : start;
    const end = spliced ? originOf(spliced, i, true) : i;
    while (lineIdx + 1 < nLines && lineStarts[lineIdx + 1] <= pos) lineIdx++;
    const tok: Token = {
      kind,
      text: src.slice(start, i),
      flags: (bol ? BOL : 0) | (white ? PREV_WHITE : 0),
      pos,
      end,
      line: lineIdx + 1,
      inst: -1,
      exp: -1,
      arg: -1,
      source: null,
      synthetic: false,
    };
    if (bol && c === 35 && i - start === 1) hashLines.push(tokens.length);
    tokens.push(tok);
    bol = false;
    white = false;
  }
  return { path, text, bytes: bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) : Buffer.from(text, 'latin1'), tokens, lineStarts, hashLines: Int32Array.from(hashLines), errors };
}
