// Inputs built to break a compiler: nesting and expression chains as deep as the input
// likes (no stack overflow: explicit stacks), huge tokens, many labels on one node, binary
// files. Each compiles, or fails with a short located error, quickly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFile, compileText } from '../../src/compile/compile.js';
import { printDts } from '../../src/dts/print.js';
import { readFdt } from '../../src/fdt/reader.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { memoryHost } from '../../src/host.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import type { Node } from '../../src/tree/model.js';
import { cellsOf } from '../../src/tree/value.js';
import { compileDts, dtcDtb, dtkitDtb } from './support.js';

function errors(ds: Diagnostic[]): string[] {
  return ds.filter((d) => d.severity === 'error').map((d) => `${d.span ? `${d.span.line}:${d.span.column}: ` : ''}${d.message}`);
}

function depthOf(node: Node): number {
  let d = 0;
  for (let n = node; n.children.length; n = n.children[0]) d++;
  return d;
}

const nested = (n: number): string => `/dts-v1/;\n/ {\n${'n {\n'.repeat(n)}${'};\n'.repeat(n)}};\n`;

test('20,000 levels of node nesting compile, write, read back and print (dtc stops near 3,300)', () => {
  const r = compileDts(nested(20_000));
  assert.deepEqual(errors(r.diagnostics), []);
  const bytes = writeFdt(r.tree!);
  const back = readFdt(bytes, 'deep.dtb').tree!;
  assert.equal(depthOf(back.root), 20_000);
  assert.deepEqual(writeFdt(back), bytes);
  const text = printDts(back);
  assert.ok(text.endsWith(`${'\t'.repeat(1)}};\n};\n`));
  assert.equal(back.root.children[0].children[0].path, '/n/n');
});

test('deep merges and deletes of a deep node', () => {
  const n = 5000;
  const body = `${'n {\n'.repeat(n)}x = <1>;\n${'};\n'.repeat(n)}`;
  const r = compileDts(`/dts-v1/;\n/ {\n${body}};\n/ {\n${body.replace('x = <1>;', 'y = <2>;')}};\n`);
  assert.deepEqual(errors(r.diagnostics), []);
  let leaf = r.tree!.root;
  while (leaf.children.length) leaf = leaf.children[0];
  assert.deepEqual(leaf.props.map((p) => p.name), ['x', 'y']);
  const del = compileDts(`/dts-v1/;\n/ {\n${body}};\n/ {\n/delete-node/ n;\n};\n`);
  assert.deepEqual(errors(del.diagnostics), []);
  assert.equal(del.tree!.root.nodes.length, 0);
});

test('600 nested parentheses, and 100,000-long chains of unary minus and ?: in cells', () => {
  const value = (expr: string): number[] => {
    const r = compileDts(`/dts-v1/;\n/ {\n\tp = <${expr}>;\n};\n`);
    assert.deepEqual(errors(r.diagnostics), []);
    return cellsOf(r.tree!.root.getProperty('p')!.value)!;
  };
  assert.deepEqual(value(`${'('.repeat(600)}7${')'.repeat(600)}`), [7]);
  assert.deepEqual(value(`(${'-'.repeat(99_999)}5)`), [0xfffffffb]);
  assert.deepEqual(value(`(${'- '.repeat(100_000)}5)`), [5]);
  assert.deepEqual(value(`(${'0 ? 1 : '.repeat(100_000)}9)`), [9]);
  assert.deepEqual(value(`(${'1 ? '.repeat(50_000)}4${' : 0'.repeat(50_000)})`), [4]);
  // precedence and associativity are dtc's
  assert.deepEqual(value('(1 + 2 * 3 - 8 / 4 << 1) (10 - 3 - 2) (1 ? 2 : 0 ? 3 : 4) (0 ? 5 : 6 | 1) (!0 + ~0)'), [10, 5, 2, 7, 0]);
});

test('an unclosed parenthesis deep in an expression is a located syntax error', () => {
  const r = compileDts(`/dts-v1/;\n/ {\n\tp = <${'('.repeat(1000)}1 + >;\n};\n`);
  assert.deepEqual(errors(r.diagnostics), ["3:1011: syntax error: unexpected '>'"]);
  const q = compileDts('/dts-v1/;\n/ {\n\tp = <(1 ? 2)>;\n};\n');
  assert.deepEqual(errors(q.diagnostics), ["3:13: syntax error: unexpected ')', expected ':'"]);
});

test('an 8 MB string and an 11 MB byte string go through the preprocessor and compile', () => {
  const str = compileText(`/dts-v1/;\n/ {\n\ts = "${'a'.repeat(8 << 20)}";\n};\n`, '/t/s.dts', { host: memoryHost({}) });
  assert.deepEqual(errors(str.diagnostics), []);
  assert.equal(str.tree!.root.getProperty('s')!.value.bytes.length, (8 << 20) + 1);
  const bytes = compileText(`/dts-v1/;\n/ {\n\tb = [${'5a'.repeat(5_500_000)}];\n};\n`, '/t/b.dts', { host: memoryHost({}) });
  assert.deepEqual(errors(bytes.diagnostics), []);
  assert.equal(bytes.tree!.root.getProperty('b')!.value.bytes.length, 5_500_000);
});

test('100,000 labels on one node, written together or one statement each, in dtc order', () => {
  const n = 100_000;
  const together = compileDts(`/dts-v1/;\n/ {\n\t${Array.from({ length: n }, (_, i) => `l${i}:`).join(' ')} x { };\n};\n`);
  assert.deepEqual(errors(together.diagnostics), []);
  const x = together.tree!.root.getChild('x')!;
  assert.equal(x.labels.length, n);
  assert.deepEqual([x.labels[0].name, x.labels[n - 1].name], ['l0', `l${n - 1}`]);
  let src = '/dts-v1/;\n/ {\n\tl0: x { };\n};\n';
  for (let i = 1; i < n; i++) src += `l${i}: &l${i - 1} { };\n`;
  const each = compileDts(src, {}, { symbols: true });
  assert.deepEqual(errors(each.diagnostics), []);
  const y = each.tree!.root.getChild('x')!;
  // each statement prepends: the newest label first
  assert.deepEqual([y.labels[0].name, y.labels[n - 1].name], [`l${n - 1}`, 'l0']);
  assert.equal(each.tree!.root.getChild('__symbols__')!.props.length, n);
});

test('a label added by a statement and then deleted with its node stays deleted when the node comes back', () => {
  const src = '/dts-v1/;\n/ {\n\tp { x { }; };\n};\nl1: &{/p/x} { };\n&{/p} { /delete-node/ x; };\n/ { p { x { }; }; };\n';
  const r = compileDts(src, {}, { symbols: true });
  assert.deepEqual(errors(r.diagnostics), []);
  assert.deepEqual(r.tree!.root.getChild('p')!.getChild('x')!.liveLabels, []);
  const ref = dtcDtb(src, {}, { symbols: true });
  if (ref) assert.deepEqual(dtkitDtb(src, {}, { symbols: true }), new Uint8Array(ref));
});

test('a NUL-filled or binary file given to compile: one short located error, no tokens', () => {
  const nul = compileText('\0'.repeat(20 << 20), '/t/zeros.dts', { host: memoryHost({}) });
  assert.deepEqual(errors(nul.diagnostics), ['1:1: NUL byte in the input: this is a binary file, not device-tree source text']);
  const blob = compileText('\xd0\x0d\xfe\xed\0\0\0\x48', '/t/board.dtb', { host: memoryHost({}) });
  assert.deepEqual(errors(blob.diagnostics), ["1:1: this is a flattened device tree blob (magic 0xd00dfeed), not source text: read it with 'dtkit decompile'"]);
  const later = compileText('/dts-v1/;\n/ { a = <1>; };\n\0', '/t/late.dts', { host: memoryHost({}), cpp: false });
  assert.deepEqual(errors(later.diagnostics), ['3:1: NUL byte in the input: this is a binary file, not device-tree source text']);
  const inc = compileFile('/t/main.dts', { host: memoryHost({ '/t/main.dts': '/dts-v1/;\n/include/ "x.bin"\n/ { };\n', '/t/x.bin': 'a\0b' }), cpp: false });
  assert.deepEqual(errors(inc.diagnostics), ['2:1: /include/ "x.bin": NUL byte in the input: this is a binary file, not device-tree source text']);
});

test('a NUL byte inside a string literal is kept, as dtc keeps it (cpp too)', () => {
  for (const cpp of [false, true]) {
    const r = compileText('/dts-v1/;\n/ {\n\ts = "a\0b";\n};\n', '/t/nul.dts', { host: memoryHost({}), cpp });
    assert.deepEqual(errors(r.diagnostics), []);
    assert.deepEqual([...r.tree!.root.getProperty('s')!.value.bytes], [97, 0, 98, 0]);
  }
});

test('a huge token in an error message is clipped: the excerpt shows the text', () => {
  const r = compileDts(`/dts-v1/;\n/ {\n\tp = <${'A'.repeat(100_000)}>;\n};\n`);
  assert.deepEqual(errors(r.diagnostics), [`3:7: unexpected identifier '${'A'.repeat(64)}... [99936 more characters]' (an undefined macro?)`]);
});
