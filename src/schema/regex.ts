// Python `re.search` for the patterns bindings write (`pattern`, `patternProperties`,
// node-name selects, documented-compatible patterns, the type table), with a cost guard.
//
// A pattern is parsed with Python's syntax into a small tree. Most patterns then run on
// V8's engine, translated where the two dialects differ (`(?P<n>`, `\Z`, `\A`, Python's
// `$` that also matches before a final newline, `{,n}`, leading inline flags). Patterns
// that can backtrack exponentially (a quantified group that itself contains a repeat or an
// alternation, e.g. `^(a+)+$`), and any pattern with several repeats applied to a long
// value, run on a linear-time engine instead (a Pike VM over the same tree: time is
// O(pattern size x value length), whatever the pattern). Back-references and look-around
// need V8; a risky pattern that uses them is tried on V8 only for values up to
// MAX_BACKTRACK_INPUT characters and does not match longer ones (documented limit).
// Patterns Python would reject never match.

/** values longer than this take the linear engine when the pattern repeats more than once */
const LONG_INPUT = 256;
/** a risky pattern the linear engine cannot run is tried on V8 only up to this length */
export const MAX_BACKTRACK_INPUT = 24;
/** instructions of the linear program (bounded repeats are expanded) */
const MAX_PROGRAM = 50_000;

export interface PyRegex {
  readonly source: string;
  search(s: string): boolean;
}

// ---------------------------------------------------------------- syntax tree
type CharTest = (c: number) => boolean;
type Ast =
  | { t: 'empty' }
  | { t: 'char'; test: CharTest; js: string }
  | { t: 'seq'; items: Ast[] }
  | { t: 'alt'; items: Ast[] }
  | { t: 'group'; body: Ast; js: string; capture: boolean }
  | { t: 'repeat'; body: Ast; min: number; max: number; lazy: string }
  | { t: 'assert'; kind: 'bol' | 'eol' | 'start' | 'end' | 'word' | 'nonword' }
  /** look-around and back-references: V8 only */
  | { t: 'v8'; js: string; body?: Ast };

class RegexSyntaxError extends Error {}

interface Flags { i: boolean; s: boolean; m: boolean; x: boolean }

const isWord = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c > 127 && /[\p{L}\p{N}]/u.test(String.fromCodePoint(c)));
const isDigit = (c: number): boolean => (c >= 48 && c <= 57) || (c > 127 && /\p{Nd}/u.test(String.fromCodePoint(c)));
const isSpace = (c: number): boolean => (c >= 9 && c <= 13) || c === 32 || (c > 127 && /\s/u.test(String.fromCodePoint(c)));

function jsEscape(c: number): string {
  const ch = String.fromCharCode(c);
  if (/[\\^$.*+?()[\]{}|/-]/.test(ch)) return `\\${ch}`;
  if (c < 0x20 || c >= 0x7f) return `\\u${c.toString(16).padStart(4, '0')}`;
  return ch;
}

class Parser {
  private i = 0;
  groups = 0;
  hasV8Only = false;
  constructor(private p: string, public flags: Flags) {}

  parse(): Ast {
    // inline flags at the very start, as Python requires them
    for (;;) {
      const m = /^\(\?([aiLmsux]+)\)/.exec(this.p.slice(this.i));
      if (!m) break;
      for (const f of m[1]) if (f in this.flags) this.flags[f as keyof Flags] = true;
      this.i += m[0].length;
    }
    const ast = this.alt();
    if (this.i < this.p.length) throw new RegexSyntaxError(`unbalanced parenthesis at position ${this.i}`);
    return ast;
  }

  private peek(): string {
    return this.p[this.i];
  }

  private skipVerbose(): void {
    if (!this.flags.x) return;
    for (;;) {
      const c = this.p[this.i];
      if (c === undefined) return;
      if (/\s/.test(c)) this.i++;
      else if (c === '#') {
        while (this.i < this.p.length && this.p[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  private alt(): Ast {
    const items = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.seq());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  private seq(): Ast {
    const items: Ast[] = [];
    for (;;) {
      this.skipVerbose();
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      let atom = this.atom();
      for (;;) {
        this.skipVerbose();
        const q = this.quantifier();
        if (!q) break;
        if (atom.t === 'assert' || atom.t === 'empty') throw new RegexSyntaxError('nothing to repeat');
        if (atom.t === 'repeat' && !q.lazy) throw new RegexSyntaxError('multiple repeat');
        atom = { t: 'repeat', body: atom, ...q };
      }
      items.push(atom);
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0] : { t: 'seq', items };
  }

  private quantifier(): { min: number; max: number; lazy: string } | undefined {
    const c = this.peek();
    let min: number, max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d*)(,(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m || (m[1] === '' && m[2] === undefined)) return undefined; // a literal '{'
      min = m[1] === '' ? 0 : Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) throw new RegexSyntaxError('min repeat greater than max repeat');
      this.i += m[0].length - 1;
    } else return undefined;
    this.i++;
    let lazy = '';
    // lazy (`?`) keeps its meaning; possessive (`+`, Python 3.11) is matched greedily
    if (this.peek() === '?') {
      lazy = '?';
      this.i++;
    } else if (this.peek() === '+') this.i++;
    return { min, max, lazy };
  }

  private atom(): Ast {
    const c = this.p[this.i++];
    switch (c) {
      case '.': {
        const dotAll = this.flags.s;
        return { t: 'char', test: dotAll ? () => true : (x) => x !== 10, js: dotAll ? '[\\s\\S]' : '.' };
      }
      case '^': return { t: 'assert', kind: this.flags.m ? 'bol' : 'start' };
      case '$': return { t: 'assert', kind: 'eol' };
      case '[': return this.charClass();
      case '(': return this.group();
      case '\\': return this.escape(false) as Ast;
      case ')': throw new RegexSyntaxError('unbalanced parenthesis');
      case '*': case '+': case '?': throw new RegexSyntaxError('nothing to repeat');
      default: return this.literal(c.charCodeAt(0));
    }
  }

  private literal(code: number): Ast {
    if (this.flags.i) {
      const lo = String.fromCharCode(code).toLowerCase().charCodeAt(0);
      const up = String.fromCharCode(code).toUpperCase().charCodeAt(0);
      return { t: 'char', test: (x) => x === lo || x === up || x === code, js: jsEscape(code) };
    }
    return { t: 'char', test: (x) => x === code, js: jsEscape(code) };
  }

  private group(): Ast {
    let capture = true;
    let js = '(';
    if (this.peek() === '?') {
      const rest = this.p.slice(this.i);
      let m: RegExpExecArray | null;
      if (rest.startsWith('?:')) {
        capture = false;
        js = '(?:';
        this.i += 2;
      } else if ((m = /^\?P<([A-Za-z_]\w*)>/.exec(rest))) {
        js = `(?<${m[1]}>`;
        this.i += m[0].length;
      } else if ((m = /^\?P=([A-Za-z_]\w*)\)/.exec(rest))) {
        this.i += m[0].length;
        this.hasV8Only = true;
        return { t: 'v8', js: `\\k<${m[1]}>` };
      } else if ((m = /^\?(<?[=!])/.exec(rest))) {
        this.i += m[0].length;
        const body = this.alt();
        if (this.p[this.i++] !== ')') throw new RegexSyntaxError('missing ), unterminated subpattern');
        this.hasV8Only = true;
        return { t: 'v8', js: `(?${m[1]}${toJs(body)})`, body };
      } else if (rest.startsWith('?#')) {
        const end = this.p.indexOf(')', this.i);
        if (end < 0) throw new RegexSyntaxError('missing ), unterminated comment');
        this.i = end + 1;
        return { t: 'empty' };
      } else if ((m = /^\?>/.exec(rest))) {
        // atomic group: matched as a plain group (same answer for a whole-string search in practice)
        capture = false;
        js = '(?:';
        this.i += 2;
      } else {
        throw new RegexSyntaxError(`unknown extension ?${rest[1] ?? ''}`);
      }
    }
    if (capture) this.groups++;
    const body = this.alt();
    if (this.p[this.i++] !== ')') throw new RegexSyntaxError('missing ), unterminated subpattern');
    return { t: 'group', body, js, capture };
  }

  /** An escape after the backslash; in a class, class escapes only. */
  private escape(inClass: boolean): Ast | { t: 'char'; test: CharTest; js: string; code?: number } {
    const c = this.p[this.i++];
    if (c === undefined) throw new RegexSyntaxError('bad escape (end of pattern)');
    const cls = (test: CharTest, js: string) => ({ t: 'char' as const, test, js });
    switch (c) {
      case 'd': return cls(isDigit, '\\d');
      case 'D': return cls((x) => !isDigit(x), '\\D');
      case 'w': return cls(isWord, '\\w');
      case 'W': return cls((x) => !isWord(x), '\\W');
      case 's': return cls(isSpace, '\\s');
      case 'S': return cls((x) => !isSpace(x), '\\S');
    }
    if (!inClass) {
      switch (c) {
        case 'b': return { t: 'assert', kind: 'word' };
        case 'B': return { t: 'assert', kind: 'nonword' };
        case 'A': return { t: 'assert', kind: 'start' };
        case 'Z': return { t: 'assert', kind: 'end' };
      }
      if (/[1-9]/.test(c)) {
        let n = c;
        while (/\d/.test(this.peek() ?? '') && n.length < 2) n += this.p[this.i++];
        this.hasV8Only = true;
        return { t: 'v8', js: `\\${n}` };
      }
    }
    const code = this.escapedCode(c, inClass);
    const lit = this.literal(code) as { t: 'char'; test: CharTest; js: string };
    return { ...lit, code };
  }

  private escapedCode(c: string, inClass: boolean): number {
    const hex = (n: number): number => {
      const h = this.p.slice(this.i, this.i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new RegexSyntaxError(`incomplete escape \\${c}${h}`);
      this.i += n;
      return parseInt(h, 16);
    };
    switch (c) {
      case 'n': return 10;
      case 't': return 9;
      case 'r': return 13;
      case 'f': return 12;
      case 'v': return 11;
      case 'a': return 7;
      case 'x': return hex(2);
      case 'u': return hex(4);
      case 'U': return hex(8);
      case 'b': if (inClass) return 8; break;
      case '0': {
        let o = '';
        while (o.length < 2 && /[0-7]/.test(this.peek() ?? '')) o += this.p[this.i++];
        return parseInt(o || '0', 8);
      }
    }
    if (/[A-Za-z0-9]/.test(c)) throw new RegexSyntaxError(`bad escape \\${c}`);
    return c.charCodeAt(0);
  }

  private charClass(): Ast {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    const tests: CharTest[] = [];
    const js: string[] = [];
    let first = true;
    for (;;) {
      let c = this.p[this.i];
      if (c === undefined) throw new RegexSyntaxError('unterminated character set');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      let lo: number;
      this.i++;
      if (c === '\\') {
        const e = this.escape(true) as { t: 'char'; test: CharTest; js: string; code?: number };
        if (e.code === undefined) {
          tests.push(e.test);
          js.push(e.js);
          continue;
        }
        lo = e.code;
      } else {
        lo = c.charCodeAt(0);
      }
      if (this.peek() === '-' && this.p[this.i + 1] !== ']' && this.p[this.i + 1] !== undefined) {
        this.i++;
        c = this.p[this.i++];
        let hi: number;
        if (c === '\\') {
          const e = this.escape(true) as { code?: number };
          if (e.code === undefined) throw new RegexSyntaxError('bad character range');
          hi = e.code;
        } else {
          hi = c.charCodeAt(0);
        }
        if (hi < lo) throw new RegexSyntaxError('bad character range');
        tests.push(this.range(lo, hi));
        js.push(`${jsEscape(lo)}-${jsEscape(hi)}`);
      } else {
        tests.push(this.range(lo, lo));
        js.push(jsEscape(lo));
      }
    }
    const any = (x: number): boolean => tests.some((t) => t(x));
    return { t: 'char', test: negate ? (x) => !any(x) : any, js: `[${negate ? '^' : ''}${js.join('')}]` };
  }

  private range(lo: number, hi: number): CharTest {
    if (!this.flags.i) return (x) => x >= lo && x <= hi;
    return (x) => {
      if (x >= lo && x <= hi) return true;
      const s = String.fromCharCode(x);
      const l = s.toLowerCase().charCodeAt(0), u = s.toUpperCase().charCodeAt(0);
      return (l >= lo && l <= hi) || (u >= lo && u <= hi);
    };
  }
}

/** The V8 source of a tree. */
function toJs(a: Ast): string {
  switch (a.t) {
    case 'empty': return '(?:)';
    case 'char': return a.js;
    case 'seq': return a.items.map(toJs).join('');
    case 'alt': return a.items.map(toJs).join('|');
    case 'group': return `${a.js}${toJs(a.body)})`;
    case 'repeat': {
      const body = a.body.t === 'char' || a.body.t === 'group' ? toJs(a.body) : `(?:${toJs(a.body)})`;
      const q = a.min === 0 && a.max === Infinity ? '*' : a.min === 1 && a.max === Infinity ? '+' : a.min === 0 && a.max === 1 ? '?'
        : a.max === Infinity ? `{${a.min},}` : a.min === a.max ? `{${a.min}}` : `{${a.min},${a.max}}`;
      return `${body}${q}${a.lazy}`;
    }
    case 'assert':
      switch (a.kind) {
        case 'start': return '(?<![\\s\\S])';
        case 'end': return '(?![\\s\\S])';
        case 'bol': return '(?<![^\\n])';
        case 'eol': return '(?=\\n?(?![\\s\\S]))';
        case 'word': return '\\b';
        case 'nonword': return '\\B';
      }
      break;
    case 'v8': return a.js;
  }
  return '';
}

// ---------------------------------------------------------------- risk
/** Whether the tree repeats anything (max > 1) inside a repeated part, or repeats an alternation. */
function risky(a: Ast, inRepeat: boolean): boolean {
  switch (a.t) {
    case 'seq': return a.items.some((x) => risky(x, inRepeat));
    case 'alt': return (inRepeat && a.items.length > 1) || a.items.some((x) => risky(x, inRepeat));
    case 'group': return risky(a.body, inRepeat);
    case 'repeat':
      if (a.max > 1 && (inRepeat || containsRepeat(a.body) || containsAlt(a.body))) return true;
      return risky(a.body, inRepeat || a.max > 1);
    case 'v8': return a.body ? risky(a.body, inRepeat) : false;
    default: return false;
  }
}
function containsRepeat(a: Ast): boolean {
  switch (a.t) {
    case 'seq': case 'alt': return a.items.some(containsRepeat);
    case 'group': return containsRepeat(a.body);
    case 'repeat': return a.max > 1 || containsRepeat(a.body);
    default: return false;
  }
}
function containsAlt(a: Ast): boolean {
  switch (a.t) {
    case 'seq': return a.items.some(containsAlt);
    case 'alt': return a.items.length > 1;
    case 'group': return containsAlt(a.body);
    case 'repeat': return containsAlt(a.body);
    default: return false;
  }
}
function repeatCount(a: Ast): number {
  switch (a.t) {
    case 'seq': case 'alt': return a.items.reduce((n, x) => n + repeatCount(x), 0);
    case 'group': return repeatCount(a.body);
    case 'repeat': return (a.max > 1 ? 1 : 0) + repeatCount(a.body);
    case 'v8': return a.body ? repeatCount(a.body) : 0;
    default: return 0;
  }
}

// ---------------------------------------------------------------- linear engine
type Inst =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; kind: 'bol' | 'eol' | 'start' | 'end' | 'word' | 'nonword' }
  | { op: 'match' };

class TooBig extends Error {}

function emit(a: Ast, prog: Inst[]): void {
  if (prog.length > MAX_PROGRAM) throw new TooBig();
  switch (a.t) {
    case 'empty': return;
    case 'char': prog.push({ op: 'char', test: a.test }); return;
    case 'seq': for (const x of a.items) emit(x, prog); return;
    case 'group': emit(a.body, prog); return;
    case 'assert': prog.push({ op: 'assert', kind: a.kind }); return;
    case 'alt': {
      const jumps: Inst[] = [];
      for (let k = 0; k < a.items.length; k++) {
        if (k < a.items.length - 1) {
          const split: Inst = { op: 'split', x: prog.length + 1, y: 0 };
          prog.push(split);
          emit(a.items[k], prog);
          const j: Inst = { op: 'jmp', x: 0 };
          prog.push(j);
          jumps.push(j);
          (split as { y: number }).y = prog.length;
        } else emit(a.items[k], prog);
      }
      for (const j of jumps) (j as { x: number }).x = prog.length;
      return;
    }
    case 'repeat': {
      for (let k = 0; k < a.min; k++) emit(a.body, prog);
      if (a.max === Infinity) {
        const split: Inst = { op: 'split', x: prog.length + 1, y: 0 };
        const at = prog.length;
        prog.push(split);
        emit(a.body, prog);
        prog.push({ op: 'jmp', x: at });
        (split as { y: number }).y = prog.length;
      } else {
        const splits: Inst[] = [];
        for (let k = a.min; k < a.max; k++) {
          const split: Inst = { op: 'split', x: prog.length + 1, y: 0 };
          prog.push(split);
          splits.push(split);
          emit(a.body, prog);
        }
        for (const s of splits) (s as { y: number }).y = prog.length;
      }
      return;
    }
    case 'v8': throw new TooBig();
  }
}

function assertHolds(kind: string, s: string, i: number, multiline: boolean): boolean {
  const n = s.length;
  switch (kind) {
    case 'start': return i === 0;
    case 'end': return i === n;
    case 'bol': return i === 0 || s.charCodeAt(i - 1) === 10;
    case 'eol': return multiline ? i === n || s.charCodeAt(i) === 10 : i === n || (i === n - 1 && s.charCodeAt(i) === 10);
    case 'word':
    case 'nonword': {
      const a = i > 0 && isWord(s.charCodeAt(i - 1));
      const b = i < n && isWord(s.charCodeAt(i));
      return (a !== b) === (kind === 'word');
    }
  }
  return false;
}

/** Thompson/Pike simulation: does the program match anywhere in `s`? O(|prog| * |s|). */
function pikeSearch(prog: Inst[], s: string, multiline: boolean): boolean {
  const n = prog.length;
  const mark = new Int32Array(n).fill(-1);
  let cur: number[] = [];
  let next: number[] = [];
  const stack: number[] = [];
  const add = (list: number[], pc0: number, i: number, gen: number): boolean => {
    stack.push(pc0);
    while (stack.length) {
      const pc = stack.pop()!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      const ins = prog[pc];
      switch (ins.op) {
        case 'match': stack.length = 0; return true;
        case 'jmp': stack.push(ins.x); break;
        case 'split': stack.push(ins.y, ins.x); break;
        case 'assert': if (assertHolds(ins.kind, s, i, multiline)) stack.push(pc + 1); break;
        case 'char': list.push(pc); break;
      }
    }
    return false;
  };
  for (let i = 0; i <= s.length; i++) {
    // a new thread at every position: search, not match
    if (add(cur, 0, i, i)) return true;
    if (i === s.length) break;
    const c = s.charCodeAt(i);
    next.length = 0;
    for (const pc of cur) {
      const ins = prog[pc] as { op: 'char'; test: CharTest };
      if (ins.test(c) && add(next, pc + 1, i + 1, i + 1)) return true;
    }
    [cur, next] = [next, cur];
  }
  return false;
}

// ---------------------------------------------------------------- entry
const NEVER: PyRegex = { source: '(?!)', search: () => false };

/** A Python pattern as a searcher (never throws; a pattern Python rejects never matches). */
export function pyRegex(pattern: string): PyRegex {
  let ast: Ast, flags: Flags;
  try {
    const p = new Parser(pattern, { i: false, s: false, m: false, x: false });
    ast = p.parse();
    flags = p.flags;

  } catch {
    return { ...NEVER, source: pattern };
  }
  let v8: RegExp | undefined;
  try {
    let src = toJs(ast);
    // `.*X` searched for is `X` searched for: no quadratic retry from every start
    if (src.startsWith('.*') && !src.startsWith('.*?') && !flags.s) src = src.slice(2);
    v8 = new RegExp(src, `${flags.i ? 'i' : ''}${flags.m ? 'm' : ''}`);
  } catch {
    v8 = undefined;
  }
  let prog: Inst[] | undefined;
  const program = (): Inst[] | undefined => {
    if (prog === undefined) {
      try {
        const out: Inst[] = [];
        emit(ast, out);
        out.push({ op: 'match' });
        prog = out;
      } catch {
        prog = [];
      }
    }
    return prog.length ? prog : undefined;
  };
  const dangerous = risky(ast, false);
  const repeats = repeatCount(ast);
  const multiline = flags.m;
  const run = (s: string): boolean => {
    if (dangerous || (repeats > 1 && s.length > LONG_INPUT) || !v8) {
      const pr = program();
      if (pr) return pikeSearch(pr, s, multiline);
      if (!v8 || (dangerous && s.length > MAX_BACKTRACK_INPUT)) return false;
    }
    return v8.test(s);
  };
  return { source: pattern, search: run };
}

/**
 * The literal a pattern of the form `^literal` or `^literal.*` requires a string to start
 * with (`re.search` matches exactly the strings starting with it: `.*` may match nothing),
 * or undefined for any other pattern. Only characters that are literal outside a class are
 * accepted. A set of such patterns (vendor-prefixes.yaml has ~800) is then tested by
 * prefix lookups instead of one regex each.
 */
export function literalPrefix(pattern: string): string | undefined {
  return /^\^([A-Za-z0-9_,-]+)(\.\*)?$/.exec(pattern)?.[1];
}

/** Whether the pattern is one the cost guard sends to the linear engine (for tests and docs). */
export function isRiskyPattern(pattern: string): boolean {
  try {
    return risky(new Parser(pattern, { i: false, s: false, m: false, x: false }).parse(), false);
  } catch {
    return false;
  }
}

/** Python's `re.compile` acceptance (for load-time diagnostics). */
export function pyRegexError(pattern: string): string | undefined {
  try {
    new Parser(pattern, { i: false, s: false, m: false, x: false }).parse();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export { toJs as _toJsForTests };
