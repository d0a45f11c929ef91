// Unit tests of the built-in preprocessor on small in-memory fixtures: exact output text
// (what GCC's cpp prints, minus line markers) and exact diagnostic locations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryHost } from '../../src/host.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { createPreprocessCache, preprocess, preprocessText } from '../../src/preprocessor/index.js';

function pp(text: string, files: Record<string, string> = {}, extra: { defines?: string[]; undefines?: string[]; maxIncludeDepth?: number } = {}) {
  return preprocessText(text, 'main.dts', { files, includeDirs: ['inc'], ...extra });
}

function where(d: Diagnostic): string {
  return d.span ? `${d.span.file}:${d.span.line}:${d.span.column}` : '';
}

function errors(r: { diagnostics: Diagnostic[] }): string[] {
  return r.diagnostics.map((d) => `${where(d)}: ${d.severity}: ${d.message}`);
}

test('object-like and function-like macros expand with GCC spacing', () => {
  const r = pp('#define N 4\n#define ADD(a, b) ((a) + (b))\nx = <N ADD(1,N)>;\n');
  assert.equal(r.text, '\n\nx = <4 ((1) + (4))>;\n');
  assert.deepEqual(errors(r), []);
});

test('#address-cells and other non-directive # lines pass through', () => {
  const r = pp('#define C 2\n/ {\n\t#address-cells = <C>;\n\t#size-cells = <0>;\n};\n');
  assert.equal(r.text, '\n/ {\n #address-cells = <2>;\n #size-cells = <0>;\n};\n');
  assert.deepEqual(errors(r), []);
});

test('-undef: linux, unix and __GNUC__ are not predefined', () => {
  const r = pp('linux,code = <1>; unix __GNUC__ __STDC__ __ASSEMBLER__ __DTS__\n');
  assert.equal(r.text, 'linux,code = <1>; unix __GNUC__ 1 1 1\n');
});

test('stringify, paste and variadic macros', () => {
  const r = pp(
    [
      '#define S(x) #x',
      '#define P(a, b) a##b',
      '#define V(fmt, ...) fmt: __VA_ARGS__ end',
      '#define G(fmt, args...) g(fmt , ## args)',
      'S( a  "b\\n" \'c\'   d ) S() P(x,y) P(,y) P(x,) P(1,2) P(-,-) P(<,<)',
      'V(a) V(a,b) V(a, b , c)',
      'G(1) G(1,2) G(1,)',
      '',
    ].join('\n'),
  );
  assert.equal(r.text, '\n\n\n\n"a \\"b\\\\n\\" \'c\' d" "" xy y x 12 -- <<\na: end a: b end a: b , c end\ng(1) g(1 ,2) g(1 ,)\n');
});

test('paste avoidance: a space only where tokens would otherwise merge', () => {
  // plain source keeps its gap width (a comment becomes as many spaces) for the map
  const r = pp('#define M -\n#define E\n-M M- +E+ a E b x/**/y O\'x\'\n#define O 1\nO\'x\'O E-E\n');
  assert.equal(r.text, '\n\n- - - - + + a b x    y O\'x\'\n\n1 \'x\'1 -\n');
});

test('hide set: a macro is not re-expanded inside its own expansion', () => {
  const r = pp('#define foo foo\n#define a b\n#define b a\n#define f(x) x f\nfoo a b f(1)(2) end\n');
  assert.equal(r.text, '\n\n\n\nfoo a b 1 f(2) end\n');
});

test('arguments spanning lines keep the line count', () => {
  const r = pp('#define F(a, b) [a b]\nx = F(1,\n  2) y;\nz;\n');
  assert.equal(r.text, '\nx = [1 2] y;\n\nz;\n');
});

test('comments become whitespace; line numbers survive block comments', () => {
  const r = pp('a/**/b /* one\ntwo\n */ c // tail\nd\n');
  assert.equal(r.text, 'a    b c\n\n\nd\n');
  assert.equal(r.map.spanAt(r.text.indexOf('d')).line, 4);
});

test('strings are not expanded into; a lone quote is other text in assembler mode', () => {
  const r = pp('#define X 1\ns = "X" X;\nit\'s X here\n');
  assert.equal(r.text, '\ns = "X" 1;\nit\'s X here\n');
  assert.deepEqual(errors(r), []);
});

test('#if expressions: arithmetic, defined, unknown names, char constants, unsigned', () => {
  const src = [
    '#define TWO 2',
    "#if TWO * 3 == 6 && defined TWO && defined(TWO) && !defined NOPE && UNKNOWN == 0 && 'a' == 97",
    'ok1',
    '#endif',
    '#if -1 > 0u',
    'ok2',
    '#endif',
    '#if 0 && (1 / 0)',
    'bad',
    '#elif (1 ? 2 : (1 / 0)) == 2 && (0x10 >> 4) == 1 && (1 << 63) < 0',
    'ok3',
    '#else',
    'bad',
    '#endif',
    '',
  ].join('\n');
  const r = pp(src);
  assert.deepEqual(r.text.match(/\S+/g), ['ok1', 'ok2', 'ok3']);
  assert.deepEqual(errors(r), []);
});

test('#ifdef, #ifndef, #else and nesting inside skipped groups', () => {
  const r = pp('#define A\n#ifdef A\na\n#else\nna\n#endif\n#ifndef A\nnb\n#if 1/0\n#endif\n#else\nb\n#endif\n');
  assert.deepEqual(r.text.match(/\S+/g), ['a', 'b']);
  assert.deepEqual(errors(r), []);
});

test('#error is an error and #warning a warning, at the directive name', () => {
  const r = pp('ok\n  #warning careful  now\n#error stop here\n');
  assert.deepEqual(errors(r), ['main.dts:2:4: warning: #warning careful now', 'main.dts:3:2: error: #error stop here']);
});

test('#if expression errors are located', () => {
  const r = pp('#define O 1\n#if 1 O\n#endif\n');
  assert.deepEqual(errors(r), ['main.dts:1:11: error: missing binary operator before token "1"']);
  assert.equal(r.diagnostics[0].span?.expandedFrom?.line, 2);
  assert.equal(r.diagnostics[0].span?.expandedFrom?.column, 7);
});

test('missing #include is a located error and stops', () => {
  const r = pp('a\n#include "nope.h"\nb\n#include <also.h>\n');
  assert.deepEqual(errors(r), ["main.dts:2:10: error: 'nope.h' file not found"]);
  assert.equal(r.diagnostics[0].span?.length, 8);
  assert.equal(r.text, 'a\n');
});

test('missing <...> include points at the header name', () => {
  const r = pp('#include <dt-bindings/x.h>\n');
  assert.deepEqual(errors(r), ["main.dts:1:10: error: 'dt-bindings/x.h' file not found"]);
  assert.equal(r.diagnostics[0].span?.length, 17);
});

test('include cycle is an error, not a hang', () => {
  const r = pp('#include "a.dtsi"\nend\n', { 'a.dtsi': '#include "b.dtsi"\na\n', 'b.dtsi': '#include "a.dtsi"\nb\n' });
  assert.deepEqual(errors(r), ["b.dtsi:1:10: error: #include cycle: a.dtsi -> b.dtsi -> a.dtsi"]);
  assert.deepEqual(r.text.match(/\S+/g), ['b', 'a', 'end']);
});

test('include depth limit is an error', () => {
  // a guarded-by-counter chain deeper than the limit
  const files: Record<string, string> = {};
  for (let i = 0; i < 6; i++) files[`d${i}.h`] = `#include "d${i + 1}.h"\n`;
  files['d6.h'] = 'deep\n';
  const r = pp('#include "d0.h"\n', files, { maxIncludeDepth: 4 });
  assert.deepEqual(errors(r), ['d2.h:1:10: error: #include nested depth 4 exceeds maximum of 4']);
});

test('wrong macro argument count is located at the closing parenthesis', () => {
  const r = pp('#define F(x) x\na = F(1,\n2) F();\n#define G(a, b) a\nG(1) done\n');
  assert.deepEqual(errors(r), [
    'main.dts:3:2: error: macro "F" passed 2 arguments, but takes just 1',
    'main.dts:5:4: error: macro "G" requires 2 arguments, but only 1 given',
  ]);
  assert.equal(r.diagnostics[0].notes?.[0].span?.line, 1);
  assert.equal(r.text, '\na = F ;\n\n\nG    done\n');
});

test('unterminated comment is an error at the comment start', () => {
  const r = pp('a\n  /* never closed\nb\n');
  assert.deepEqual(errors(r), ['main.dts:2:3: error: unterminated comment']);
  assert.equal(r.text, 'a\n');
});

test('unterminated #if and stray #endif are errors', () => {
  const r = pp('#endif\n#if 1\nx\n');
  assert.deepEqual(errors(r), ['main.dts:1:2: error: #endif without #if', 'main.dts:2:2: error: unterminated #if']);
});

test('-D and -U apply after the built-ins', () => {
  const r = pp('A B __DTS__\n', {}, { defines: ['A', 'B=x y'], undefines: ['__DTS__'] });
  assert.equal(r.text, '1 x y __DTS__\n');
});

test('__FILE__, __LINE__ and __COUNTER__', () => {
  const r = pp('#include "h.dtsi"\n__LINE__ __FILE__ __COUNTER__ __COUNTER__\n', { 'inc/h.dtsi': '__FILE__ __LINE__\n' });
  assert.equal(r.text, '"inc/h.dtsi" 1\n2 "main.dts" 0 1\n');
});

test('quote includes search the including file\'s folder first, then -I', () => {
  const r = preprocess('dir/main.dts', {
    host: memoryHost({ 'dir/main.dts': '#include "x.h"\n#include <x.h>\n', 'dir/x.h': 'local\n', 'inc/x.h': 'global\n' }),
    includeDirs: ['inc'],
  });
  assert.equal(r.text, 'local\nglobal\n');
  assert.deepEqual(r.dependencies, ['dir/main.dts', 'dir/x.h', 'inc/x.h']);
});

test('include guards and #pragma once include a header once', () => {
  const r = pp('#include "g.h"\n#include "g.h"\n#include "o.h"\n#include "o.h"\n', {
    'g.h': '#ifndef G_H\n#define G_H\nguarded\n#endif\n',
    'o.h': '#pragma once\nonce\n',
  });
  assert.deepEqual(r.text.match(/\S+/g), ['guarded', 'once']);
});

test('expanded text maps to its definition with expandedFrom the invocation', () => {
  const r = pp('#define V 0x10\n#define F(x) <x V>\nreg = F(7);\n');
  assert.equal(r.text, '\n\nreg = <7 0x10>;\n');
  const at = (s: string) => r.map.spanAt(r.text.indexOf(s), s.length);
  const v = at('0x10');
  assert.deepEqual([v.file, v.line, v.column, v.length], ['main.dts', 1, 11, 4]);
  // 0x10 came from V (invoked in F's body) which was expanded from F(7)
  assert.deepEqual([v.expandedFrom?.line, v.expandedFrom?.column], [2, 17]);
  assert.deepEqual([v.expandedFrom?.expandedFrom?.line, v.expandedFrom?.expandedFrom?.column, v.expandedFrom?.expandedFrom?.length], [3, 7, 4]);
  const seven = at('7');
  assert.deepEqual([seven.line, seven.column, seven.expandedFrom?.line, seven.expandedFrom?.column], [3, 9, 3, 7]);
  const reg = at('reg');
  assert.deepEqual([reg.line, reg.column, reg.expandedFrom], [3, 1, undefined]);
  const lt = at('<');
  assert.deepEqual([lt.line, lt.column], [2, 14]);
});

test('included text carries the includedFrom chain, innermost first', () => {
  const r = pp('/ {\n#include "a.dtsi"\n};\n', { 'a.dtsi': '\n#include "b.dtsi"\n', 'inc/b.dtsi': '  deep = <1>;\n' });
  const s = r.map.spanAt(r.text.indexOf('deep'), 4);
  assert.deepEqual([s.file, s.line, s.column, s.length], ['inc/b.dtsi', 1, 3, 4]);
  assert.deepEqual(s.includedFrom, [
    { file: 'a.dtsi', line: 2, column: 1 },
    { file: 'main.dts', line: 2, column: 1 },
  ]);
  const close = r.map.spanAt(r.text.indexOf('};'));
  assert.deepEqual([close.file, close.line, close.includedFrom], ['main.dts', 3, undefined]);
});

test('plain source text keeps its columns in the map', () => {
  const r = pp('/ {\n\tnode@1 {\n\t\tcompatible = "x,y";  /* c */ status = "okay";\n\t};\n};\n');
  const s = r.map.spanAt(r.text.indexOf('status'), 6);
  assert.deepEqual([s.line, s.column, s.length], [3, 32, 6]);
  assert.equal(r.text.split('\n')[2].indexOf('status') + 1, 32);
});

test('the cache reuses lexed files and notices changed text', () => {
  const cache = createPreprocessCache();
  const files = { 'main.dts': '#include "h.h"\nH\n', 'h.h': '#define H 1\n' };
  const a = preprocess('main.dts', { host: memoryHost(files), includeDirs: [], cache });
  const b = preprocess('main.dts', { host: memoryHost({ ...files, 'h.h': '#define H 2\n' }), includeDirs: [], cache });
  assert.deepEqual([a.text.trim(), b.text.trim()], ['1', '2']);
  assert.equal(cache.lexed.size, 2);
});

test('backslash-newline splices join lines in directives and text', () => {
  const r = pp('#define LONG(a, \\\n  b) a + \\\n  b\nx = LONG(1, 2);\ny = ab\\\ncd;\nz\n');
  assert.equal(r.text, '\n\n\nx = 1 + 2;\ny = abcd;\n\nz\n');
  const s = r.map.spanAt(r.text.indexOf('abcd'));
  assert.deepEqual([s.line, s.column], [5, 5]);
  assert.equal(r.map.spanAt(r.text.indexOf('z')).line, 7);
});

test('a line break inside macro arguments is whitespace', () => {
  const r = pp('#define S(x) #x\nS(a\nb)\n');
  assert.equal(r.text, '\n"a b"\n');
});

test('a # line inside macro arguments ends the argument, as in cpp', () => {
  const r = pp('#define F(a,b) [a|b]\nF(x\n#address-cells\n,y)\nz\n');
  assert.deepEqual(errors(r), ['main.dts:4:3: error: macro "F" passed 3 arguments, but takes just 2']);
  assert.equal(r.text, '\nF\n\n\nz\n');
});

test('#include with a macro-expanded name and __has_include', () => {
  const r = pp('#define HDR "x.h"\n#include HDR\n#if __has_include(<x.h>) && !__has_include("nope.h")\nhas\n#endif\n', { 'inc/x.h': 'hdr\n' });
  assert.deepEqual(r.text.match(/\S+/g), ['hdr', 'has']);
  assert.deepEqual(errors(r), []);
});

test('absurd nesting is reported, not thrown', () => {
  const depth = 20000;
  const r = pp('#define F(x) x\n' + 'F('.repeat(depth) + '1' + ')'.repeat(depth) + '\n#if ' + '('.repeat(depth) + '1' + ')'.repeat(depth) + '\n#endif\n');
  assert.ok(r.diagnostics.length >= 1);
  assert.ok(r.diagnostics.every((d) => d.severity === 'error'));
});
