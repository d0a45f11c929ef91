// The preprocessor on hostile input: deep #if expressions are evaluated without recursion;
// a macro bomb, deep macro nesting and runaway output stop with a located error (the
// limits of PREPROCESS_LIMITS) instead of minutes and a heap abort; a huge token is
// clipped in messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { preprocessText } from '../../src/preprocessor/index.js';
import { PREPROCESS_LIMITS } from '../../src/preprocessor/engine.js';

function errors(r: { diagnostics: Diagnostic[] }): string[] {
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.span ? `${d.span.line}:${d.span.column}: ` : ''}${d.message}`);
}

const pp = (text: string) => preprocessText(text, 'main.dts', { includeDirs: [] });

test('#if with 5,000 nested parentheses, 100,000 unary operators and long ?: chains', () => {
  const taken = (cond: string) => pp(`#if ${cond}\nyes\n#endif\n`).text.trim();
  assert.equal(taken(`${'('.repeat(5000)}1${')'.repeat(5000)}`), 'yes');
  assert.equal(taken(`${'- '.repeat(100_000)}1 == 1`), 'yes');
  assert.equal(taken(`${'!'.repeat(100_001)}0`), 'yes');
  assert.equal(taken(`${'0 ? 1 : '.repeat(50_000)}2 == 2`), 'yes');
});

test('#if keeps C semantics: precedence, short circuits, comma, signedness', () => {
  const truth = (e: string) => pp(`#if ${e}\nT\n#else\nF\n#endif\n`).text.trim();
  assert.equal(truth('1 + 2 * 3 == 7 && (1 ? 2 : 3) == 2'), 'T');
  assert.equal(truth('0 && 1 / 0'), 'F');
  assert.equal(truth('1 || 1 / 0'), 'T');
  assert.equal(truth('0 ? 1 / 0 : 1'), 'T');
  assert.equal(truth('(1, 0)'), 'F');
  assert.equal(truth('-1 < 0 && -1 > 0u'), 'T');
  assert.equal(truth('1 ? 0 : 1 ? 1 : 1'), 'F');
  assert.deepEqual(errors(pp('#if 1 / 0\n#endif\n')), ['1:7: division by zero in #if']);
  assert.deepEqual(errors(pp('#if (1 ? 2)\n#endif\n')), ["1:11: '?' without following ':'"]);
  assert.deepEqual(errors(pp(`#if ${'('.repeat(3000)}1\n#endif\n`)), ["1:2: missing ')' in expression"]);
  assert.deepEqual(errors(pp('#if 1 2\n#endif\n')), ['1:7: missing binary operator before token "2"']);
  assert.deepEqual(errors(pp('#if 1 )\n#endif\n')), ["1:7: missing '(' in expression"]);
});

test('a macro bomb (#define M0 M1 M1, 30 levels) stops with a located error', () => {
  let src = '#define M30 x\n';
  for (let i = 29; i >= 0; i--) src += `#define M${i} M${i + 1} M${i + 1}\n`;
  const t0 = performance.now();
  const r = pp(`${src}/dts-v1/;\n/ { p = <M0>; };\n`);
  assert.ok(performance.now() - t0 < 20_000);
  // at the expansion that ran out (in M1's body), expanded from the use on line 33
  assert.deepEqual(errors(r), [
    `3:13: macro expansion too large: more than ${PREPROCESS_LIMITS.minWork} expansions and replacement tokens for 170 input tokens (a macro that expands to copies of itself?)`,
  ]);
  let site = r.diagnostics[0].span!;
  while (site.expandedFrom) site = site.expandedFrom;
  assert.equal(`${site.line}:${site.column}`, '33:10');
});

test('an argument doubled at each of 30 levels (#define D(x) x x) stops at the budget', () => {
  const r = pp(`#define D(x) x x\n${'D('.repeat(30)}1${')'.repeat(30)}\n`);
  assert.equal(errors(r).length, 1);
  assert.match(errors(r)[0], /^2:\d+: macro expansion too large: more than 2000000 expansions/);
});

test('macro calls nested 10,000 deep in arguments stop at the depth limit, located', () => {
  const r = pp(`#define F(x) x\np = <${'F('.repeat(10_000)}1${')'.repeat(10_000)}>;\n`);
  assert.deepEqual(errors(r), [`2:${6 + 2 * PREPROCESS_LIMITS.maxExpansionDepth}: macro "F" expanded 201 levels deep (the limit is 200)`]);
  // and through bodies: a chain of 300 macros, each calling the next
  let chain = '';
  for (let i = 0; i < 300; i++) chain += `#define C${i} C${i + 1}\n`;
  const deep = pp(`${chain}C0\n`);
  assert.deepEqual(errors(deep), ['200:14: macro "C200" expanded 201 levels deep (the limit is 200)']);
  let site = deep.diagnostics[0].span!;
  while (site.expandedFrom) site = site.expandedFrom;
  assert.equal(`${site.line}:${site.column}`, '301:1');
});

test('real nesting is far below the limits', () => {
  const r = pp(`#define F(x) (x + 1)\np = <${'F('.repeat(150)}1${')'.repeat(150)}>;\n`);
  assert.deepEqual(errors(r), []);
});

test('output far larger than the input stops with a located error', () => {
  const big = 'x'.repeat(1 << 20);
  const r = pp(`#define S "${big}"\n#define S8 S S S S S S S S\n#define S64 S8 S8 S8 S8 S8 S8 S8 S8\n${'S64 '.repeat(8)}\n`);
  assert.equal(errors(r).length, 1);
  assert.match(errors(r)[0], /^1:11: preprocessed text too large: more than 33554432 bytes from 1048\d+ bytes of input$/);
});

test('a 10 MB token passes through, and is clipped in a message', () => {
  const big = `"${'a'.repeat(10 << 20)}"`;
  assert.equal(pp(`s = ${big};\n`).text.length, big.length + 6);
  assert.deepEqual(errors(pp(`#if ${big}\n#endif\n`)), [`1:5: token ""${'a'.repeat(63)}... [10485698 more characters]" is not valid in preprocessor expressions`]);
});

test('a NUL byte in a header stops the run at its location', () => {
  const r = preprocessText('#include "bin.h"\nx\n', 'main.dts', { includeDirs: [], files: { 'bin.h': 'ok\n\0\0' } });
  assert.deepEqual(errors(r), ['2:1: NUL byte in the input: this is a binary file, not device-tree source text']);
  assert.equal(r.diagnostics[0].span?.file, 'bin.h');
});
