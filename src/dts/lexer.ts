// DTS lexer with dtc's start conditions: after `{`, `;`, `/delete-*/` and
// `/omit-if-no-ref/` a property or node name is expected (PROPNODENAME); inside `[ ]`
// hex byte pairs (BYTESTRING); elsewhere (V1) integer literals and operators. Which state
// is active depends only on the tokens seen so far, so the lexer runs ahead of the parser
// exactly as flex does for bison. `/include/ "file"` pushes the raw file (not
// preprocessed) onto a stack of sources.
import * as path from 'node:path';
import type { Host } from '../host.js';
import { readText } from '../host.js';
import type { Diagnostics } from '../report/diagnostic.js';
import type { SourcePos, SourceSpan } from '../report/source.js';
import { MAX_QUOTED, clipText } from '../report/safe-text.js';
import { binaryInput } from '../preprocessor/lexer.js';
import { unescape } from './escape.js';
import type { LexSource } from './source.js';
import { RawSourceMap, rawSource } from './source.js';

export type TokenKind =
  | 'v1' | 'plugin' | 'memreserve' | 'bits' | 'delete-property' | 'delete-node' | 'omit-if-no-ref' | 'incbin'
  /** `name:` (value: the name) */
  | 'label'
  /** `&name` or `&{/path}` (value: the name or path) */
  | 'ref'
  | 'literal' | 'char'
  /** `"..."` (value: the unescaped latin1 text) */
  | 'string'
  /** a hex pair inside `[ ]` */
  | 'byte'
  /** a property or node name */
  | 'name'
  /** a C identifier where no name is expected: almost always an undefined macro */
  | 'ident'
  /** operators and single characters */
  | 'punct'
  /** text the lexer cannot take (unterminated string or comment) */
  | 'bad'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** raw text (for punct: the operator) */
  text: string;
  /** name, ref, unescaped string; message for 'bad' */
  str: string;
  /** value of literals and char literals when below 2^53 (else see `big`) */
  num: number;
  /** value of literals of 2^53 and above (BigInt only where needed: it is costly) */
  big?: bigint;
  src: LexSource;
  offset: number;
  length: number;
}

type State = 'initial' | 'v1' | 'bytestring' | 'propnodename';

export interface LexerOptions {
  host: Host;
  /** folders searched for `/include/` and `/incbin/` after the including file's folder */
  includeDirs: string[];
  diagnostics: Diagnostics;
  /** nesting limit for `/include/` */
  maxIncludeDepth?: number;
}

const KEYWORDS: [string, TokenKind][] = [
  ['/dts-v1/', 'v1'],
  ['/plugin/', 'plugin'],
  ['/memreserve/', 'memreserve'],
  ['/bits/', 'bits'],
  ['/delete-property/', 'delete-property'],
  ['/delete-node/', 'delete-node'],
  ['/omit-if-no-ref/', 'omit-if-no-ref'],
  ['/incbin/', 'incbin'],
];

/** The two-character operator (<< >> <= >= == != && ||) starting with c, d; '' if none. */
function twoCharOp(c: number, d: number): string {
  switch (c) {
    case 60: return d === 60 ? '<<' : d === 61 ? '<=' : ''; // <
    case 62: return d === 62 ? '>>' : d === 61 ? '>=' : ''; // >
    case 61: return d === 61 ? '==' : ''; // =
    case 33: return d === 61 ? '!=' : ''; // !
    case 38: return d === 38 ? '&&' : ''; // &
    case 124: return d === 124 ? '||' : ''; // |
    default: return '';
  }
}
const MAX_U64 = (1n << 64n) - 1n;

// character classes as lookup tables (hot path)
const PROPNODECHAR = new Uint8Array(128);
const LABELCHAR = new Uint8Array(128);
const PATHCHAR = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') {
  PROPNODECHAR[c.charCodeAt(0)] = LABELCHAR[c.charCodeAt(0)] = PATHCHAR[c.charCodeAt(0)] = 1;
}
for (const c of ',._+*#?@-') PROPNODECHAR[c.charCodeAt(0)] = PATHCHAR[c.charCodeAt(0)] = 1;
LABELCHAR['_'.charCodeAt(0)] = 1;
PATHCHAR['/'.charCodeAt(0)] = 1;

const isPropNodeChar = (c: number) => c < 128 && PROPNODECHAR[c] === 1;
const isLabelChar = (c: number) => c < 128 && LABELCHAR[c] === 1;
const isLabelStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHexDigit = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

interface Frame {
  src: LexSource;
  pos: number;
}

const LINE_MARKER = /#(?:line)?[ \t]+([0-9]+)[ \t]+"((?:[^\\"\n]|\\.)*)"(?:[ \t]+[0-9]+)*/y;

/** The value of a literal, char literal or byte token. */
export function tokenValue(t: Token): bigint {
  return t.big ?? BigInt(t.num);
}

export class Lexer {
  private stack: Frame[] = [];
  private state: State = 'initial';

  constructor(root: LexSource, private opts: LexerOptions) {
    this.stack.push({ src: root, pos: 0 });
  }

  spanOf(t: Token): SourceSpan {
    return t.src.map.spanAt(t.offset, t.length);
  }

  private error(src: LexSource, offset: number, length: number, message: string): void {
    this.opts.diagnostics.error('syntax', message, src.map.spanAt(offset, length));
  }

  private make(kind: TokenKind, f: Frame, start: number, text: string, str = '', num = 0, big?: bigint): Token {
    return { kind, text, str, num, big, src: f.src, offset: start, length: f.pos - start };
  }

  next(): Token {
    for (;;) {
      const f = this.stack[this.stack.length - 1];
      this.skipSpaceAndComments(f);
      if (f.pos >= f.src.text.length) {
        if (this.stack.length > 1) {
          this.stack.pop();
          continue;
        }
        return { kind: 'eof', text: '', str: '', num: 0, src: f.src, offset: f.pos, length: 0 };
      }
      const t = this.scan(f);
      if (t) return t;
    }
  }

  private skipSpaceAndComments(f: Frame): void {
    const s = f.src.text;
    for (;;) {
      const c = s.charCodeAt(f.pos);
      if (isSpace(c)) {
        f.pos++;
      } else if (c === 47 /* / */ && s.charCodeAt(f.pos + 1) === 42 /* * */) {
        const end = s.indexOf('*/', f.pos + 2);
        if (end < 0) return; // left for scan() to report
        f.pos = end + 2;
      } else if (c === 47 && s.charCodeAt(f.pos + 1) === 47) {
        const end = s.indexOf('\n', f.pos);
        f.pos = end < 0 ? s.length : end + 1;
      } else if (c === 35 /* # */ && (f.pos === 0 || s.charCodeAt(f.pos - 1) === 10) && this.lineMarker(f)) {
        continue;
      } else {
        return;
      }
    }
  }

  /** `# 12 "file"` at a line start: later lines are reported against that file and line. */
  private lineMarker(f: Frame): boolean {
    LINE_MARKER.lastIndex = f.pos;
    const m = LINE_MARKER.exec(f.src.text);
    if (!m) return false;
    if (f.src.map instanceof RawSourceMap) f.src.map.addMarker(f.pos, unescape(m[2]).value, Number(m[1]));
    f.pos += m[0].length;
    return true;
  }

  /** The last run of label characters scanned: [runFrom, runEnd) of `runSrc` (three
   *  fields, not an object per token). */
  private runSrc: LexSource | undefined;
  private runFrom = 0;
  private runEnd = 0;

  /** End of the run of label characters at `start`. Remembered, so that a long run read
   *  in short tokens (hex pairs of a 10 MB byte string) is scanned once, not once per token. */
  private labelCharsEnd(f: Frame, start: number): number {
    if (this.runSrc === f.src && start >= this.runFrom && start < this.runEnd) return this.runEnd;
    const s = f.src.text;
    let e = start + 1;
    while (isLabelChar(s.charCodeAt(e))) e++;
    this.runSrc = f.src;
    this.runFrom = start;
    this.runEnd = e;
    return e;
  }

  private scan(f: Frame): Token | undefined {
    const s = f.src.text;
    const start = f.pos;
    const c = s.charCodeAt(start);

    if (c === 34 /* " */) return this.scanString(f);
    if (c === 47 /* / */) {
      if (s.charCodeAt(start + 1) === 42) {
        f.pos = s.length;
        return this.make('bad', f, start, '/*', 'unterminated comment');
      }
      if (s.startsWith('/include/', start) && this.include(f)) return undefined;
      for (const [kw, kind] of KEYWORDS) {
        if (!s.startsWith(kw, start)) continue;
        if (kind === 'incbin' && (this.state === 'bytestring' || this.state === 'propnodename')) break;
        f.pos += kw.length;
        if (kind === 'v1' || kind === 'memreserve' || kind === 'bits') this.state = 'v1';
        else if (kind === 'delete-property' || kind === 'delete-node' || kind === 'omit-if-no-ref') this.state = 'propnodename';
        return this.make(kind, f, start, kw);
      }
    }
    if (isLabelStart(c)) {
      const e = this.labelCharsEnd(f, start);
      if (s.charCodeAt(e) === 58 /* : */) {
        f.pos = e + 1;
        return this.make('label', f, start, s.slice(start, e + 1), s.slice(start, e));
      }
    }
    if (this.state === 'v1' && isDigit(c)) return this.scanLiteral(f);
    if (c === 39 /* ' */) return this.scanChar(f);
    if (c === 38 /* & */) {
      const ref = this.scanRef(f);
      if (ref) return ref;
    }
    if (this.state === 'bytestring') {
      if (isHexDigit(c) && isHexDigit(s.charCodeAt(start + 1))) {
        f.pos += 2;
        return this.make('byte', f, start, s.slice(start, start + 2), '', parseInt(s.slice(start, start + 2), 16));
      }
      if (c === 93 /* ] */) {
        f.pos++;
        this.state = 'v1';
        return this.make('punct', f, start, ']');
      }
    }
    if (this.state === 'propnodename') {
      let e = start + (c === 92 /* \ */ ? 1 : 0);
      const nameStart = e;
      while (isPropNodeChar(s.charCodeAt(e))) e++;
      if (e > nameStart) {
        f.pos = e;
        this.state = 'v1';
        // one string for text and name unless a backslash starts the token
        const text = s.slice(start, e);
        return this.make('name', f, start, text, nameStart === start ? text : s.slice(nameStart, e));
      }
    } else if (isLabelStart(c)) {
      let e = start + 1;
      while (isLabelChar(s.charCodeAt(e))) e++;
      f.pos = e;
      const text = s.slice(start, e);
      return this.make('ident', f, start, text, text);
    }
    const two = twoCharOp(c, s.charCodeAt(start + 1));
    if (two) {
      f.pos += 2;
      return this.make('punct', f, start, two);
    }
    f.pos++;
    const ch = s[start];
    if (ch === '[') this.state = 'bytestring';
    else if (ch === '{' || ch === ';') this.state = 'propnodename';
    return this.make('punct', f, start, ch);
  }

  private scanString(f: Frame): Token {
    const s = f.src.text;
    const start = f.pos;
    let i = start + 1;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 34) break;
      i += c === 92 ? 2 : 1;
    }
    if (i >= s.length) {
      f.pos = s.length;
      return { ...this.make('bad', f, start, '"', 'unterminated string'), length: 1 };
    }
    f.pos = i + 1;
    const raw = s.slice(start, f.pos);
    const u = unescape(raw.slice(1, -1));
    if (u.error) this.error(f.src, start, raw.length, u.error);
    return this.make('string', f, start, raw, u.value);
  }

  private scanChar(f: Frame): Token {
    const s = f.src.text;
    const start = f.pos;
    let i = start + 1;
    while (i < s.length && s.charCodeAt(i) !== 39) i += s.charCodeAt(i) === 92 && s.charCodeAt(i + 1) === 39 ? 2 : 1;
    if (i >= s.length) {
      f.pos = start + 1;
      return this.make('bad', f, start, "'", 'unterminated character literal');
    }
    f.pos = i + 1;
    const raw = s.slice(start, f.pos);
    const u = unescape(raw.slice(1, -1));
    if (u.error) this.error(f.src, start, raw.length, u.error);
    if (u.value.length === 0) this.error(f.src, start, raw.length, 'Empty character literal');
    else if (u.value.length > 1) {
      this.error(f.src, start, raw.length, `Character literal has ${u.value.length} characters instead of 1`);
    }
    return this.make('char', f, start, raw, '', u.value.length ? u.value.charCodeAt(0) : 0);
  }

  private scanLiteral(f: Frame): Token {
    const s = f.src.text;
    const start = f.pos;
    let e = start;
    const hex = s.charCodeAt(start) === 48 && (s[start + 1] === 'x' || s[start + 1] === 'X') && isHexDigit(s.charCodeAt(start + 2));
    if (hex) {
      e = start + 2;
      while (isHexDigit(s.charCodeAt(e))) e++;
    } else {
      while (isDigit(s.charCodeAt(e))) e++;
    }
    const digitsEnd = e;
    // C suffixes, longest first: ULL UL LL U L
    if (s.charCodeAt(e) === 85 /* U */) e += s.startsWith('LL', e + 1) ? 3 : s.charCodeAt(e + 1) === 76 ? 2 : 1;
    else if (s.charCodeAt(e) === 76 /* L */) e += s.charCodeAt(e + 1) === 76 ? 2 : 1;
    f.pos = e;
    const text = s.slice(start, e);
    let value: bigint | number;
    if (hex && digitsEnd - start <= 15) {
      // up to 13 hex digits: exact as a double, computed without slicing
      let v = 0;
      for (let i = start + 2; i < digitsEnd; i++) {
        const d = s.charCodeAt(i);
        v = v * 16 + (d <= 57 ? d - 48 : (d | 32) - 87);
      }
      value = v;
    } else if (!hex && digitsEnd - start <= 15 && (digitsEnd - start === 1 || s.charCodeAt(start) !== 48)) {
      let v = 0;
      for (let i = start; i < digitsEnd; i++) v = v * 10 + (s.charCodeAt(i) - 48);
      value = v;
    } else {
      const digits = s.slice(start, digitsEnd);
      if (hex) {
        value = BigInt(digits);
      } else if (digits.length > 1 && digits[0] === '0') {
        // strtoull base 0: a leading 0 means octal; an 8 or 9 ends the number early
        let o = 1;
        while (o < digits.length && digits[o] <= '7') o++;
        value = BigInt('0o' + (digits.slice(1, o) || '0'));
        if (o < digits.length) this.error(f.src, start, text.length, `Bad integer literal '${clipText(text, MAX_QUOTED)}'`);
      } else {
        value = BigInt(digits);
      }
    }
    if (typeof value === 'bigint' && value > MAX_U64) {
      this.error(f.src, start, text.length, `Integer literal '${clipText(text, MAX_QUOTED)}' out of range`);
      value = MAX_U64;
    }
    if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER)) value = Number(value);
    return typeof value === 'number' ? this.make('literal', f, start, text, '', value) : this.make('literal', f, start, text, '', 0, value);
  }

  private scanRef(f: Frame): Token | undefined {
    const s = f.src.text;
    const start = f.pos;
    const c = s.charCodeAt(start + 1);
    if (isLabelStart(c)) {
      let e = start + 2;
      while (isLabelChar(s.charCodeAt(e))) e++;
      f.pos = e;
      return this.make('ref', f, start, s.slice(start, e), s.slice(start + 1, e));
    }
    if (c === 123 /* { */) {
      // `&{/path}`, or `&{label/path}` (a path below a label, dtc 1.7+)
      let e = start + 2;
      while (e < s.length && s.charCodeAt(e) < 128 && PATHCHAR[s.charCodeAt(e)] === 1) e++;
      if (s.charCodeAt(e) === 125 /* } */ && e > start + 2) {
        f.pos = e + 1;
        return this.make('ref', f, start, s.slice(start, e + 1), s.slice(start + 2, e));
      }
    }
    return undefined;
  }

  /** `/include/ "file"`: pushes the file; false when the directive is malformed. */
  private include(f: Frame): boolean {
    const s = f.src.text;
    let i = f.pos + '/include/'.length;
    while (isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 34) return false;
    let j = i + 1;
    while (j < s.length && s.charCodeAt(j) !== 34) j += s.charCodeAt(j) === 92 ? 2 : 1;
    if (j >= s.length) return false;
    const start = f.pos;
    f.pos = j + 1;
    const name = s.slice(i + 1, j);
    const site = f.src.map.spanAt(start, f.pos - start);
    const depth = this.stack.length;
    if (depth > (this.opts.maxIncludeDepth ?? 100)) {
      this.error(f.src, start, f.pos - start, 'Includes nested too deeply');
      return true;
    }
    const file = resolveIncludeFile(name, site.file, this.opts);
    if (!file) {
      this.error(f.src, start, f.pos - start, `Couldn't open "${name}": No such file or directory`);
      return true;
    }
    if (this.stack.some((fr) => fr.src.file === file)) {
      this.error(f.src, start, f.pos - start, `recursive /include/ of "${name}"`);
      return true;
    }
    const text = readText(this.opts.host, file) ?? '';
    const binary = binaryInput(text);
    if (binary) {
      this.error(f.src, start, f.pos - start, `/include/ "${clipText(name, MAX_QUOTED)}": ${binary.message}`);
      return true;
    }
    const chain: SourcePos[] = [{ file: site.file, line: site.line, column: site.column }, ...(site.includedFrom ?? [])];
    this.stack.push({ src: rawSource(file, text, chain), pos: 0 });
    return true;
  }
}

/** dtc's search: absolute as is, else beside the including file, then each search folder. */
export function resolveIncludeFile(name: string, fromFile: string, opts: { host: Host; includeDirs: string[] }): string | undefined {
  if (path.isAbsolute(name)) return opts.host.isFile(name) ? name : undefined;
  const candidates = [path.join(path.dirname(fromFile), name), ...opts.includeDirs.map((d) => path.join(d, name))];
  return candidates.find((c) => opts.host.isFile(c));
}
