// Integer expressions in cells and /memreserve/, with dtc's grammar (C precedence levels,
// `?:` right-associative, unary `- ~ !`), evaluated as unsigned 64-bit (BigInt wrapped
// to 64 bits). Both arms of `?:`, `&&` and `||` are parsed and evaluated, so errors in
// either are reported, as dtc does. Operator precedence parsing with an explicit stack:
// nesting (parentheses, unary chains, `?:` chains) is the input's and costs no call
// stack, however deep.
import type { Token } from './lexer.js';
import { tokenValue } from './lexer.js';

export interface ExprStream {
  peek(): Token;
  next(): Token;
  /** consumes the punct `text` or reports a syntax error (does not return then) */
  expect(text: string): Token;
  /** reports a syntax error at the token and aborts the parse */
  syntaxError(t: Token): never;
  /** reports a non-fatal error at the token */
  error(t: Token, message: string): void;
}

const U64 = (v: bigint) => BigInt.asUintN(64, v);
const bool = (b: boolean) => (b ? 1n : 0n);

/** Binary operators by precedence (dtc's grammar levels, tighter = higher). */
const BINARY_PREC: Readonly<Record<string, number>> = {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

function applyBinary(op: Token, a: bigint, b: bigint, s: ExprStream): bigint {
  switch (op.text) {
    case '*': return U64(a * b);
    case '/':
    case '%':
      if (b === 0n) {
        s.error(op, 'Division by zero');
        return 0n;
      }
      return op.text === '/' ? a / b : a % b;
    case '+': return U64(a + b);
    case '-': return U64(a - b);
    case '<<': return b >= 64n ? 0n : U64(a << b);
    case '>>': return b >= 64n ? 0n : a >> b;
    case '<': return bool(a < b);
    case '>': return bool(a > b);
    case '<=': return bool(a <= b);
    case '>=': return bool(a >= b);
    case '==': return bool(a === b);
    case '!=': return bool(a !== b);
    case '&': return a & b;
    case '^': return a ^ b;
    case '|': return a | b;
    case '&&': return bool(a !== 0n && b !== 0n);
    default: return bool(a !== 0n || b !== 0n); // ||
  }
}

function applyUnary(op: string, v: bigint): bigint {
  return op === '-' ? U64(-v) : op === '~' ? U64(~v) : bool(v === 0n);
}

/** What the operator stack holds while an operand is being read. */
type Pending =
  | { kind: 'unary'; op: string }
  | { kind: 'paren' }
  | { kind: 'binary'; op: Token; prec: number; left: bigint }
  /** `cond ?` read: the middle operand comes next */
  | { kind: 'cond'; cond: bigint }
  /** `cond ? then :` read: the last operand comes next */
  | { kind: 'else'; cond: bigint; then: bigint };

function isPunct(t: Token, text: string): boolean {
  return t.kind === 'punct' && t.text === text;
}

/**
 * `integer_prim` (a literal, a char literal or a parenthesised expression) when `prim`,
 * else `integer_expr`. Syntax errors are reported at the token, as the recursive
 * grammar would: a missing `)` or `:` is "expected ')'" / "expected ':'".
 */
function evaluate(s: ExprStream, prim: boolean): bigint {
  const stack: Pending[] = [];
  if (prim) {
    const t = s.peek();
    if (t.kind === 'literal' || t.kind === 'char') {
      s.next();
      return tokenValue(t);
    }
    if (!isPunct(t, '(')) return s.syntaxError(t);
    s.next();
    stack.push({ kind: 'paren' });
  }
  for (;;) {
    // an operand: unary operators and '(' first
    let t = s.peek();
    let v: bigint;
    for (;;) {
      if (t.kind === 'punct' && (t.text === '-' || t.text === '~' || t.text === '!')) stack.push({ kind: 'unary', op: t.text });
      else if (isPunct(t, '(')) stack.push({ kind: 'paren' });
      else break;
      s.next();
      t = s.peek();
    }
    if (t.kind !== 'literal' && t.kind !== 'char') return s.syntaxError(t);
    s.next();
    v = tokenValue(t);

    // then operators, reducing what binds tighter than the next one
    for (;;) {
      while (stack.length && stack[stack.length - 1].kind === 'unary') {
        v = applyUnary((stack.pop() as { op: string }).op, v);
      }
      t = s.peek();
      const prec = t.kind === 'punct' ? BINARY_PREC[t.text] : undefined;
      if (prec !== undefined) {
        v = reduceBinary(stack, v, prec, s);
        s.next();
        stack.push({ kind: 'binary', op: t, prec, left: v });
        break;
      }
      if (isPunct(t, '?')) {
        v = reduceBinary(stack, v, 1, s);
        s.next();
        stack.push({ kind: 'cond', cond: v });
        break;
      }
      // the end of an operand list: close whatever `?:` arms are complete
      v = reduceAll(stack, v, s);
      const top = stack[stack.length - 1];
      if (!top) return v;
      if (top.kind === 'cond') {
        s.expect(':');
        stack.pop();
        stack.push({ kind: 'else', cond: top.cond, then: v });
        break;
      }
      // top is a paren
      s.expect(')');
      stack.pop();
      if (prim && stack.length === 0) return v;
    }
  }
}

/** Applies pending binary operators of precedence >= prec (left-associative). */
function reduceBinary(stack: Pending[], v: bigint, prec: number, s: ExprStream): bigint {
  for (;;) {
    const top = stack[stack.length - 1];
    if (!top || top.kind !== 'binary' || top.prec < prec) return v;
    stack.pop();
    v = applyBinary(top.op, top.left, v, s);
  }
}

/** Applies every pending binary operator and completed `?:` down to a '(' or an open `?`. */
function reduceAll(stack: Pending[], v: bigint, s: ExprStream): bigint {
  for (;;) {
    v = reduceBinary(stack, v, 0, s);
    const top = stack[stack.length - 1];
    if (!top || top.kind !== 'else') return v;
    stack.pop();
    v = top.cond !== 0n ? top.then : v;
  }
}

/** `integer_prim`: a literal, a char literal or a parenthesised expression. */
export function parseIntegerPrim(s: ExprStream): bigint {
  return evaluate(s, true);
}

export function parseIntegerExpr(s: ExprStream): bigint {
  return evaluate(s, false);
}
