// #if / #elif integer constant expressions: intmax_t / uintmax_t arithmetic (64-bit),
// `defined`, unknown identifiers = 0, character constants, short-circuit evaluation.
import { MAX_QUOTED, clipText } from '../report/safe-text.js';
import { CHAR, EOF, NAME, NUMBER, PUNCT, STRING, type Token } from './tokens.js';

export interface ExprTokens {
  /** next macro-expanded token of the directive (padding skipped), EOF at the end */
  next(): Token;
  /** while on, names are not macro-expanded (operand of `defined`) */
  preventExpansion(on: boolean): void;
  isDefined(name: string): boolean;
  /** `__has_include` operand check; undefined when unsupported */
  hasInclude?(name: string, angled: boolean): boolean;
}

export type ExprResult = { ok: true; value: boolean } | { ok: false; message: string; at: Token | null };

interface Val {
  v: bigint;
  u: boolean;
}

class ExprError {
  constructor(
    readonly message: string,
    readonly at: Token | null,
  ) {}
}

const toS = (v: bigint): bigint => BigInt.asIntN(64, v);
const toU = (v: bigint): bigint => BigInt.asUintN(64, v);
const norm = (v: bigint, u: boolean): Val => ({ v: u ? toU(v) : toS(v), u });

const BINARY_PREC: Record<string, number> = {
  '*': 10,
  '/': 10,
  '%': 10,
  '+': 9,
  '-': 9,
  '<<': 8,
  '>>': 8,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '==': 6,
  '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

export function parseNumber(text: string): Val | string {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([uUlL]*)$/.exec(text);
  if (!m) {
    if (/^[0-9]*\.|^[0-9]+[eE]|^0[xX][0-9a-fA-F]*[pP.]/.test(text)) return 'floating constant in preprocessor expression';
    return `invalid integer constant "${clipText(text, MAX_QUOTED)}" in #if`;
  }
  const digits = m[1];
  const suffix = m[2].toLowerCase();
  if (!/^(u?(l|ll)?|(l|ll)u)$/.test(suffix)) return `invalid suffix "${clipText(m[2], MAX_QUOTED)}" on integer constant`;
  let v: bigint;
  if (/^0[bB]/.test(digits)) v = BigInt(digits);
  else if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') {
    if (/[89]/.test(digits)) return `invalid digit in octal constant`;
    v = BigInt('0o' + digits.slice(1));
  } else v = BigInt(digits);
  let u = suffix.includes('u');
  if (v > 0x7fffffffffffffffn) u = true;
  return norm(v, u);
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, E: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };

export function charValue(text: string): Val | string {
  const body = text.slice(1, -1);
  const chars: number[] = [];
  for (let i = 0; i < body.length; ) {
    const c = body[i];
    if (c !== '\\') {
      chars.push(body.charCodeAt(i) & 0xff);
      i++;
      continue;
    }
    const e = body[i + 1];
    if (e === 'x') {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i + 2));
      if (!m) return '\\x used with no following hex digits';
      chars.push(parseInt(m[0], 16) & 0xff);
      i += 2 + m[0].length;
    } else if (e >= '0' && e <= '7') {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1))!;
      chars.push(parseInt(m[0], 8) & 0xff);
      i += 1 + m[0].length;
    } else {
      chars.push(ESCAPES[e] ?? body.charCodeAt(i + 1));
      i += 2;
    }
  }
  if (chars.length === 0) return 'empty character constant';
  if (chars.length === 1) {
    // plain char is signed on the targets the kernel builds DTs on
    const c = chars[0];
    return { v: BigInt(c >= 128 ? c - 256 : c), u: false };
  }
  let v = 0;
  for (const c of chars.slice(-4)) v = ((v << 8) | c) >>> 0;
  return { v: BigInt(v | 0), u: false };
}

/** What the operator stack holds while an operand is being read. */
type Pending =
  | { kind: 'unary'; op: string }
  | { kind: 'paren' }
  /** `skip`: a short-circuited && or || (its right operand is not evaluated) */
  | { kind: 'binary'; op: Token; prec: number; left: Val; skip: boolean }
  /** `cond ?` read */
  | { kind: 'cond'; take: boolean }
  /** `cond ? then :` read */
  | { kind: 'else'; take: boolean; then: Val };

/** The comma operator's precedence (below every other binary operator). */
const COMMA_PREC = 0;

/**
 * Evaluates a #if expression with GCC's rules: operator precedence parsing on an explicit
 * stack (nesting depth is the input's), short-circuit evaluation (division by zero in an
 * unevaluated operand is not an error), the comma operator outside `?:`'s last operand.
 */
export function evaluateExpression(src: ExprTokens): ExprResult {
  let cur: Token = src.next();
  let skipEval = 0;
  const advance = (): void => {
    cur = src.next();
  };
  const isP = (t: Token, s: string): boolean => t.kind === PUNCT && t.text === s;
  const describe = (t: Token): string => (t.kind === EOF ? 'end of line' : `"${clipText(t.text, MAX_QUOTED)}"`);

  /** A number, a character constant, `defined X`, `__has_include(...)` or an identifier. */
  const operand = (): Val => {
    const t = cur;
    if (t.kind === NUMBER) {
      advance();
      const r = parseNumber(t.text);
      if (typeof r === 'string') throw new ExprError(r, t);
      return r;
    }
    if (t.kind === CHAR) {
      advance();
      const r = charValue(t.text);
      if (typeof r === 'string') throw new ExprError(r, t);
      return r;
    }
    if (t.kind === NAME) {
      if (t.text === 'defined') {
        src.preventExpansion(true);
        advance();
        let paren = false;
        if (isP(cur, '(')) {
          paren = true;
          advance();
        }
        if (cur.kind !== NAME) {
          src.preventExpansion(false);
          throw new ExprError('operator "defined" requires an identifier', cur);
        }
        const name = cur.text;
        if (paren) {
          advance();
          if (!isP(cur, ')')) {
            src.preventExpansion(false);
            throw new ExprError('missing \')\' after "defined"', cur);
          }
        }
        src.preventExpansion(false);
        advance();
        return { v: src.isDefined(name) ? 1n : 0n, u: false };
      }
      if ((t.text === '__has_include' || t.text === '__has_include_next') && src.hasInclude) {
        return hasInclude(t);
      }
      advance();
      if (isP(cur, '(')) throw new ExprError(`function-like macro "${clipText(t.text, MAX_QUOTED)}" is not defined`, t);
      return { v: 0n, u: false };
    }
    if (t.kind === EOF) throw new ExprError('#if with no expression', t);
    throw new ExprError(`token "${clipText(t.text, MAX_QUOTED)}" is not valid in preprocessor expressions`, t);
  };

  const hasInclude = (op: Token): Val => {
    src.preventExpansion(true);
    advance();
    if (!isP(cur, '(')) {
      src.preventExpansion(false);
      throw new ExprError(`missing '(' before "${op.text}" operand`, cur);
    }
    advance();
    let name = '';
    let angled = false;
    if (cur.kind === STRING) {
      name = cur.text.slice(1, -1);
      advance();
    } else if (isP(cur, '<')) {
      angled = true;
      advance();
      const parts: string[] = [];
      while (cur.kind !== EOF && !isP(cur, '>')) {
        parts.push(cur.text);
        advance();
      }
      advance();
      name = parts.join('');
    } else {
      src.preventExpansion(false);
      throw new ExprError(`operator "${op.text}" requires a header-name`, cur);
    }
    src.preventExpansion(false);
    if (!isP(cur, ')')) throw new ExprError(`missing ')' after "${op.text}" operand`, cur);
    advance();
    return { v: src.hasInclude!(name, angled) ? 1n : 0n, u: false };
  };

  const apply = (op: Token, a: Val, b: Val): Val => {
    const u = a.u || b.u;
    const x = u ? toU(a.v) : a.v;
    const y = u ? toU(b.v) : b.v;
    switch (op.text) {
      case '*':
        return norm(x * y, u);
      case '/':
      case '%':
        if (y === 0n) {
          if (skipEval) return { v: 0n, u };
          throw new ExprError('division by zero in #if', op);
        }
        return norm(op.text === '/' ? x / y : x % y, u);
      case '+':
        return norm(x + y, u);
      case '-':
        return norm(x - y, u);
      case '<<':
      case '>>': {
        // the result has the left operand's signedness
        const lu = a.u;
        const lx = lu ? toU(a.v) : a.v;
        let n = b.u ? toU(b.v) : b.v;
        let left = op.text === '<<';
        if (n < 0n) {
          n = -n;
          left = !left;
        }
        if (n >= 64n) return left ? { v: 0n, u: lu } : { v: lu || lx >= 0n ? 0n : -1n, u: lu };
        return norm(left ? lx << n : lx >> n, lu);
      }
      case '<':
        return { v: x < y ? 1n : 0n, u: false };
      case '>':
        return { v: x > y ? 1n : 0n, u: false };
      case '<=':
        return { v: x <= y ? 1n : 0n, u: false };
      case '>=':
        return { v: x >= y ? 1n : 0n, u: false };
      case '==':
        return { v: x === y ? 1n : 0n, u: false };
      case '!=':
        return { v: x !== y ? 1n : 0n, u: false };
      case '&':
        return norm(x & y, u);
      case '^':
        return norm(x ^ y, u);
      case '|':
        return norm(x | y, u);
      case '&&':
        return { v: a.v !== 0n && b.v !== 0n ? 1n : 0n, u: false };
      case '||':
        return { v: a.v !== 0n || b.v !== 0n ? 1n : 0n, u: false };
      case ',':
        return b;
    }
    throw new ExprError(`token "${op.text}" is not valid in preprocessor expressions`, op);
  };

  const applyUnary = (op: string, v: Val): Val => {
    switch (op) {
      case '+':
        return v;
      case '-':
        return norm(-v.v, v.u);
      case '~':
        return norm(~v.v, v.u);
      default:
        return { v: v.v === 0n ? 1n : 0n, u: false };
    }
  };

  const stack: Pending[] = [];
  /** Applies pending binary operators of precedence >= prec (left-associative). */
  const reduceBinary = (v: Val, prec: number): Val => {
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top || top.kind !== 'binary' || top.prec < prec) return v;
      stack.pop();
      if (top.skip) skipEval--;
      v = apply(top.op, top.left, v);
    }
  };
  /** Applies every pending binary operator and completed `?:` down to a '(' or an open `?`. */
  const reduceAll = (v: Val): Val => {
    for (;;) {
      v = reduceBinary(v, COMMA_PREC);
      const top = stack[stack.length - 1];
      if (!top || top.kind !== 'else') return v;
      stack.pop();
      if (top.take) skipEval--;
      v = norm(top.take ? top.then.v : v.v, top.then.u || v.u);
    }
  };

  const run = (): Val => {
    for (;;) {
      // an operand, after any unary operators and '('
      for (;;) {
        if (cur.kind === PUNCT && (cur.text === '+' || cur.text === '-' || cur.text === '~' || cur.text === '!')) stack.push({ kind: 'unary', op: cur.text });
        else if (isP(cur, '(')) stack.push({ kind: 'paren' });
        else break;
        advance();
      }
      let v = operand();
      // then operators
      for (;;) {
        while (stack.length && stack[stack.length - 1].kind === 'unary') v = applyUnary((stack.pop() as { op: string }).op, v);
        const op = cur;
        if (op.kind !== PUNCT && op.kind !== EOF) throw new ExprError(`missing binary operator before token ${describe(op)}`, op);
        const prec = op.kind === PUNCT ? (op.text === ',' ? COMMA_PREC : BINARY_PREC[op.text]) : undefined;
        if (prec !== undefined) {
          v = prec === COMMA_PREC ? reduceAll(v) : reduceBinary(v, prec);
          advance();
          let skip = false;
          if (op.text === '&&' || op.text === '||') {
            skip = op.text === '&&' ? v.v === 0n : v.v !== 0n;
            if (skip) skipEval++;
          }
          stack.push({ kind: 'binary', op, prec, left: v, skip });
          break;
        }
        if (isP(op, '?')) {
          v = reduceBinary(v, 1);
          advance();
          const take = v.v !== 0n;
          if (!take) skipEval++;
          stack.push({ kind: 'cond', take });
          break;
        }
        v = reduceAll(v);
        const top = stack[stack.length - 1];
        if (top?.kind === 'cond' && isP(op, ':')) {
          advance();
          stack.pop();
          if (!top.take) skipEval--;
          else skipEval++;
          stack.push({ kind: 'else', take: top.take, then: v });
          break;
        }
        if (!top) return v;
        if (top.kind === 'cond') throw new ExprError(`'?' without following ':'`, cur);
        // top is a '('
        if (!isP(cur, ')')) throw new ExprError(`missing ')' in expression`, cur);
        advance();
        stack.pop();
      }
    }
  };

  try {
    if (cur.kind === EOF) return { ok: false, message: '#if with no expression', at: null };
    const v = run();
    const end = cur as Token;
    if (end.kind !== EOF) {
      if (isP(end, ')')) return { ok: false, message: "missing '(' in expression", at: end };
      if (isP(end, ':')) return { ok: false, message: "':' without preceding '?'", at: end };
      return { ok: false, message: `missing binary operator before token ${describe(end)}`, at: end };
    }
    return { ok: true, value: v.v !== 0n };
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, message: e.message, at: e.at };
    throw e;
  }
}
