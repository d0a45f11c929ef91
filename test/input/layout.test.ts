// Finding the tree an input lives in: the kernel layout and the devicetree-rebasing
// layout, the folders the kernel's build passes to cpp and dtc for each, and nothing
// outside a tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describeSourceTree, findSourceTree } from '../../src/input/layout.js';
import { inFolder, kernelTree, rebasingTree, tempDir, writeTree } from './support.js';

test('rebasing layout: -I include -I src/ARCH -I src, bindings in Bindings/', () => {
  const root = tempDir();
  rebasingTree(root, { 'src/arm64/acme/board.dts': '' });
  const t = findSourceTree(path.join(root, 'src/arm64/acme/board.dts'));
  assert.deepEqual(t, {
    kind: 'rebasing', root, arch: 'arm64',
    includeDirs: [path.join(root, 'include'), path.join(root, 'src/arm64'), path.join(root, 'src')],
    bindings: path.join(root, 'Bindings'),
  });
});

test('kernel layout: -I scripts/dtc/include-prefixes, bindings in Documentation/devicetree/bindings', () => {
  const root = tempDir();
  kernelTree(root, { 'arch/arm64/boot/dts/acme/board.dts': '' });
  assert.deepEqual(findSourceTree(path.join(root, 'arch/arm64/boot/dts/acme/board.dts')), {
    kind: 'kernel', root, arch: 'arm64',
    includeDirs: [path.join(root, 'scripts/dtc/include-prefixes')],
    bindings: path.join(root, 'Documentation/devicetree/bindings'),
  });
});

test('a relative input gets folders relative to the current folder, as a user would type them', () => {
  const root = tempDir();
  rebasingTree(root, { 'src/arm/board.dts': '' });
  const t = inFolder(root, () => findSourceTree('src/arm/board.dts'));
  assert.deepEqual([t?.root, t?.includeDirs, t?.bindings], ['.', ['include', 'src/arm', 'src'], 'Bindings']);
  const fromBelow = inFolder(path.join(root, 'src/arm'), () => findSourceTree('board.dts'));
  assert.deepEqual([fromBelow?.root, fromBelow?.includeDirs, fromBelow?.bindings], ['../..', ['../../include', '.', '..'], '../../Bindings']);
});

test('standard input is placed in the current folder', () => {
  const root = tempDir();
  rebasingTree(root, { 'src/arm64/': '' });
  const t = inFolder(path.join(root, 'src/arm64'), () => findSourceTree('-'));
  assert.deepEqual([t?.kind, t?.arch], ['rebasing', 'arm64']);
});

test('a file of the tree outside an architecture folder gets the tree without src/ARCH', () => {
  const root = tempDir();
  rebasingTree(root, { 'board.dts': '' });
  assert.deepEqual(findSourceTree(path.join(root, 'board.dts'))?.includeDirs, [path.join(root, 'include'), path.join(root, 'src')]);
});

test('no tree: outside any, or with a mark missing', () => {
  const root = tempDir();
  writeTree(root, { 'board.dts': '', 'half/include/': '', 'half/src/arm64/board.dts': '' });
  assert.equal(findSourceTree(path.join(root, 'board.dts')), undefined);
  assert.equal(findSourceTree(path.join(root, 'half/src/arm64/board.dts')), undefined);
});

test('the nearest tree wins: a tree inside another', () => {
  const root = tempDir();
  kernelTree(root, { 'vendor/dt/src/arm64/b.dts': '' });
  rebasingTree(path.join(root, 'vendor/dt'));
  assert.equal(findSourceTree(path.join(root, 'vendor/dt/src/arm64/b.dts'))?.kind, 'rebasing');
});

test('the one line that says which tree is used', () => {
  const root = tempDir();
  rebasingTree(root, { 'src/arm64/b.dts': '' });
  const t = inFolder(root, () => findSourceTree('src/arm64/b.dts'))!;
  assert.equal(inFolder(root, () => describeSourceTree(t, { bindings: true })),
    `devicetree-rebasing tree ${root} (arm64): includes include, src/arm64, src and the board's folder; bindings Bindings (--no-detect turns this off)`);
  assert.equal(inFolder(root, () => describeSourceTree(t, { bindings: false })),
    `devicetree-rebasing tree ${root} (arm64): includes include, src/arm64, src and the board's folder (--no-detect turns this off)`);
});
