// The one input stage: a blob by its magic number (not its name), standard input, the
// include search order (the user's folders, the tree's, dtkit's shipped headers last) and
// what is wrong with a path that cannot be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { includeSearchPath, loadInput } from '../../src/input/load.js';
import type { InputOptions } from '../../src/input/load.js';
import { shippedIncludeDir } from '../../src/input/shipped.js';
import { compileDts } from '../overlay/support.js';
import { inFolder, rebasingTree, tempDir, writeTree } from './support.js';

const BOARD = '/dts-v1/;\n/ {\n\tcompatible = "acme,board";\n};\n';
const blob = () => compileDts(BOARD, 'board.dts').bytes;
const opts = (extra: Partial<InputOptions> = {}): InputOptions => ({ host: nodeHost, includeDirs: [], ...extra });

test('a blob is read by its magic number, whatever its name', () => {
  const dir = tempDir();
  writeTree(dir, { 'board.dts': blob(), 'board': blob() });
  for (const name of ['board.dts', 'board']) {
    const r = loadInput(path.join(dir, name), opts());
    assert.deepEqual([r.format, r.ok, r.diagnostics], ['dtb', true, []], name);
    assert.deepEqual(Buffer.from(r.tree!.root.getProperty('compatible')!.value.bytes), Buffer.from('acme,board\0'));
  }
});

test('text named like a blob is a corrupt blob (dtc reads .dtb/.dtbo as blobs too)', () => {
  const dir = tempDir();
  writeTree(dir, { 'x.dtb': BOARD });
  const r = loadInput(path.join(dir, 'x.dtb'), opts());
  assert.equal(r.ok, false);
  assert.deepEqual(r.diagnostics.map((d) => [d.rule, d.file, d.message]), [
    ['fdt', path.join(dir, 'x.dtb'), 'bad magic 0x2f647473 at offset 0x0 (a DTB starts with 0xd00dfeed)'],
  ]);
});

test("dtc's -I: a blob said to be source is refused; source said to be a blob is a bad blob", () => {
  const dir = tempDir();
  writeTree(dir, { 'b.dtb': blob(), 'b.dts': BOARD });
  assert.deepEqual(loadInput(path.join(dir, 'b.dtb'), opts({ format: 'dts' })).diagnostics.map((d) => [d.rule, d.message]), [
    ['io', `'${path.join(dir, 'b.dtb')}' is a DTB (it starts with the FDT magic 0xd00dfeed), not DTS source`],
  ]);
  assert.deepEqual(loadInput(path.join(dir, 'b.dts'), opts({ format: 'dtb' })).diagnostics.map((d) => d.rule), ['fdt']);
});

test('- is standard input: source (includes beside the current folder) or a blob', () => {
  const dir = tempDir();
  writeTree(dir, { 'part.dtsi': '/ { part = <7>; };\n' });
  const src = inFolder(dir, () => loadInput('-', opts({ readStdin: () => Buffer.from('/dts-v1/;\n#include "part.dtsi"\n/ { };\n') })));
  assert.deepEqual([src.file, src.format, src.ok, src.tree?.root.getU32('part')], ['<stdin>', 'dts', true, 7]);
  const bin = loadInput('-', opts({ readStdin: () => blob() }));
  assert.deepEqual([bin.file, bin.format, bin.ok], ['<stdin>', 'dtb', true]);
  const none = loadInput('-', opts({ readStdin: () => undefined }));
  assert.deepEqual(none.diagnostics.map((d) => [d.rule, d.severity, d.message]), [['io', 'error', 'cannot read standard input']]);
});

test('a path that cannot be read says what is wrong with it', () => {
  const dir = tempDir();
  writeTree(dir, { 'sub/': '', 'file': 'x' });
  const why = (p: string) => loadInput(p, opts()).diagnostics.map((d) => [d.rule, d.file, d.message]);
  assert.deepEqual(why(path.join(dir, 'nope.dts')), [['io', undefined, `cannot read '${path.join(dir, 'nope.dts')}': no such file`]]);
  assert.deepEqual(why(path.join(dir, 'sub')), [['io', undefined, `cannot read '${path.join(dir, 'sub')}': it is a folder, not a file`]]);
  assert.deepEqual(why(path.join(dir, 'gone/x.dts')), [['io', undefined, `cannot read '${path.join(dir, 'gone/x.dts')}': no such folder '${path.join(dir, 'gone')}'`]]);
  assert.deepEqual(why(path.join(dir, 'file/x.dts')), [['io', undefined, `cannot read '${path.join(dir, 'file/x.dts')}': '${path.join(dir, 'file')}' is not a folder`]]);
  assert.deepEqual(why(''), [['io', undefined, 'the input file name is empty']]);
});

/** A tree whose include/ has its own copy of dtkit's shipped header, with a value of its own. */
function treeWithHeader(): { root: string; board: string } {
  const root = tempDir();
  const header = (v: number) => `#define QCOM_DEVMEM_READ ${v}\n`;
  rebasingTree(root, {
    'include/dt-bindings/iommu/qcom,devmem.h': header(5),
    'user/dt-bindings/iommu/qcom,devmem.h': header(7),
    'src/arm64/acme/board.dts': '/dts-v1/;\n#include <dt-bindings/iommu/qcom,devmem.h>\n/ { v = <QCOM_DEVMEM_READ>; };\n',
  });
  return { root, board: path.join(root, 'src/arm64/acme/board.dts') };
}

test("include order: the user's -I folders, then the tree's, then dtkit's shipped headers", () => {
  const { root, board } = treeWithHeader();
  const value = (o: Partial<InputOptions>) => {
    const r = loadInput(board, opts(o));
    assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
    return r.tree?.root.getU32('v');
  };
  assert.equal(value({ includeDirs: [path.join(root, 'user')] }), 7);
  assert.equal(value({}), 5);
  assert.equal(value({ detect: false }), 1);
  assert.deepEqual(loadInput(board, opts({ includeDirs: [path.join(root, 'user')] })).includeDirs, [
    path.join(root, 'user'), path.join(root, 'include'), path.join(root, 'src/arm64'), path.join(root, 'src'),
    path.join(root, 'src/arm64/acme'), shippedIncludeDir(),
  ]);
});

test("a user's copy of a shipped header is named once, as an info finding", () => {
  const { root, board } = treeWithHeader();
  const r = loadInput(board, opts({ includeDirs: [path.join(root, 'user')] }));
  const user = path.join(root, 'user/dt-bindings/iommu/qcom,devmem.h');
  assert.deepEqual(r.diagnostics.map((d) => [d.rule, d.severity, d.message]), [
    ['shipped_header_shadowed', 'info', `using ${user} instead of dtkit's shipped <dt-bindings/iommu/qcom,devmem.h>`],
  ]);
});

test('the search path without a tree: the user\'s folders, then the shipped headers; no duplicates', () => {
  assert.deepEqual(includeSearchPath('/x/b.dts', undefined, { includeDirs: ['/a', '/b', '/a'], shippedInclude: '/s' }), ['/a', '/b', '/s']);
});

test('a source that fails to compile is not ok, and says where', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'bad.dts'), '/dts-v1/;\n/ {\n\tx = <FOO>;\n};\n');
  const r = loadInput(path.join(dir, 'bad.dts'), opts());
  assert.equal(r.ok, false);
  assert.deepEqual(r.diagnostics.map((d) => [d.rule, d.span?.line, d.span?.column]), [['syntax', 3, 7]]);
});
