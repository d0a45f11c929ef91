// Integer expressions in cells and /memreserve/: one function per C precedence level, as
// in dtc's grammar, evaluated as unsigned 64-bit (BigInt wrapped to 64 bits). Both arms of
// `?:`, `&&` and `||` are parsed and evaluated, so errors in either are reported, as dtc does.
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

type Level = (s: ExprStream) => bigint;

function isOp(t: Token, ops: readonly string[]): boolean {
  return t.kind === 'punct' && ops.includes(t.text);
}

/** Left-associative binary level: `next (op next)*`. */
function binary(ops: readonly string[], operand: Level, apply: (op: Token, a: bigint, b: bigint, s: ExprStream) => bigint): Level {
  return (s) => {
    let v = operand(s);
    while (isOp(s.peek(), ops)) {
      const op = s.next();
      v = apply(op, v, operand(s), s);
    }
    return v;
  };
}

/** `integer_prim`: a literal, a char literal or a parenthesised expression. */
export function parseIntegerPrim(s: ExprStream): bigint {
  const t = s.peek();
  if (t.kind === 'literal' || t.kind === 'char') {
    s.next();
    return tokenValue(t);
  }
  if (t.kind === 'punct' && t.text === '(') {
    s.next();
    const v = parseIntegerExpr(s);
    s.expect(')');
    return v;
  }
  return s.syntaxError(t);
}

function parseUnary(s: ExprStream): bigint {
  const t = s.peek();
  if (isOp(t, ['-', '~', '!'])) {
    s.next();
    const v = parseUnary(s);
    return t.text === '-' ? U64(-v) : t.text === '~' ? U64(~v) : bool(v === 0n);
  }
  return parseIntegerPrim(s);
}

const parseMul = binary(['*', '/', '%'], parseUnary, (op, a, b, s) => {
  if (op.text === '*') return U64(a * b);
  if (b === 0n) {
    s.error(op, 'Division by zero');
    return 0n;
  }
  return op.text === '/' ? a / b : a % b;
});
const parseAdd = binary(['+', '-'], parseMul, (op, a, b) => U64(op.text === '+' ? a + b : a - b));
const parseShift = binary(['<<', '>>'], parseAdd, (op, a, b) => (b >= 64n ? 0n : op.text === '<<' ? U64(a << b) : a >> b));
const parseRelational = binary(['<', '>', '<=', '>='], parseShift, (op, a, b) =>
  bool(op.text === '<' ? a < b : op.text === '>' ? a > b : op.text === '<=' ? a <= b : a >= b),
);
const parseEquality = binary(['==', '!='], parseRelational, (op, a, b) => bool(op.text === '==' ? a === b : a !== b));
const parseBitAnd = binary(['&'], parseEquality, (_op, a, b) => a & b);
const parseBitXor = binary(['^'], parseBitAnd, (_op, a, b) => a ^ b);
const parseBitOr = binary(['|'], parseBitXor, (_op, a, b) => a | b);
const parseLogicalAnd = binary(['&&'], parseBitOr, (_op, a, b) => bool(a !== 0n && b !== 0n));
const parseLogicalOr = binary(['||'], parseLogicalAnd, (_op, a, b) => bool(a !== 0n || b !== 0n));

function parseTernary(s: ExprStream): bigint {
  const cond = parseLogicalOr(s);
  if (!isOp(s.peek(), ['?'])) return cond;
  s.next();
  const then = parseIntegerExpr(s);
  s.expect(':');
  const otherwise = parseTernary(s);
  return cond !== 0n ? then : otherwise;
}

export function parseIntegerExpr(s: ExprStream): bigint {
  return parseTernary(s);
}
