// __symbols__, __fixups__ and __local_fixups__ as dtc 1.6.1 lays them out: exact content
// on small fixtures, and byte-identical to `dtc -@` where dtc is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileText } from '../../src/compile/compile.js';
import { generateSymbols } from '../../src/overlay/emit/symbols.js';
import { ensureOverlayNodes } from '../../src/overlay/emit/transforms.js';
import { Diagnostics } from '../../src/report/diagnostic.js';
import { Node, Property, Tree } from '../../src/tree/model.js';
import { ValueBuilder, cellsOf, stringsOf } from '../../src/tree/value.js';
import { generateFixups } from '../../src/overlay/emit/fixups.js';
import { skipUnless } from '../support/corpus.js';
import { BASE } from './fixtures.js';
import { compileDts, sameBytesOrDiff } from './support.js';

const PLUGIN = `/dts-v1/;
/plugin/;
&uart { status = "okay"; a = <&l2 &l2>; nl: child { q = <&nl &mine>; }; };
&{/soc@0} { mine: newnode { r = <&ref 1 &l2>; }; };
/ { fragment@5 { target-path = "/"; __overlay__ { top = <1>; }; }; };
`;

function props(tree: Tree, path: string): [string, string[] | number[]][] {
  const node = tree.findByPath(path);
  assert.ok(node, `${path} exists`);
  return node.props.map((p) => [p.name, stringsOf(p.value) ?? cellsOf(p.value) ?? []]);
}

function plainTree(text: string): Tree {
  const r = compileText(text, 'base.dts', { cpp: false });
  assert.ok(r.ok && r.tree, r.diagnostics.map((d) => d.message).join('; '));
  return r.tree;
}

test('__symbols__: one path per live label, walk order, labels in list order, appended last to the root', () => {
  const tree = plainTree(`/dts-v1/;\n/ {\n\tx = <&a>;\n\ta: b: n1 { };\n\tp { c: n2 { }; };\n};\n`);
  generateSymbols(tree, new Diagnostics());
  assert.equal(tree.root.nodes.at(-1)?.name, '__symbols__');
  assert.deepEqual(props(tree, '/__symbols__'), [
    ['a', ['/n1']],
    ['b', ['/n1']],
    ['c', ['/p/n2']],
  ]);
});

test('-@ gives every labelled node a phandle: the lowest free values, after those references took', () => {
  const tree = plainTree(`/dts-v1/;\n/ {\n\tx = <&l4>;\n\tl1: n1 { };\n\tl2: n2 { phandle = <2>; };\n\tl3: n3 { };\n\tl4: n4 { };\n};\n`);
  generateSymbols(tree, new Diagnostics());
  const ph = (p: string) => tree.findByPath(p)?.phandle;
  assert.deepEqual([ph('/n4'), ph('/n2'), ph('/n1'), ph('/n3')], [1, 2, 3, 4]);
  assert.deepEqual(props(tree, '/n1'), [['phandle', [3]]]);
});

test('a label already present in __symbols__ is skipped with a warning', () => {
  const tree = plainTree(`/dts-v1/;\n/ {\n\tl1: n1 { };\n\t__symbols__ { l1 = "/elsewhere"; };\n};\n`);
  const diags = new Diagnostics();
  generateSymbols(tree, diags);
  assert.deepEqual(props(tree, '/__symbols__'), [['l1', ['/elsewhere']]]);
  assert.deepEqual(diags.items.map((d) => [d.severity, d.rule, d.message]), [['warning', 'overlay_symbols', 'label l1 already exists in /__symbols__']]);
});

test('__fixups__: "path:property:offset" per unresolved reference, grouped by label in order of use', () => {
  const { tree } = compileDts(PLUGIN, 'ov.dtso');
  assert.deepEqual(props(tree, '/__fixups__'), [
    ['uart', ['/fragment@0:target:0']],
    ['l2', ['/fragment@0/__overlay__:a:0', '/fragment@0/__overlay__:a:4', '/fragment@1/__overlay__/newnode:r:8']],
    ['ref', ['/fragment@1/__overlay__/newnode:r:0']],
  ]);
});

test('__local_fixups__ mirrors the referring node and lists offsets of references inside the overlay', () => {
  const { tree } = compileDts(PLUGIN, 'ov.dtso');
  assert.deepEqual(props(tree, '/__local_fixups__/fragment@0/__overlay__/child'), [['q', [0, 4]]]);
  assert.deepEqual(tree.root.nodes.map((n) => n.name), ['fragment@0', 'fragment@1', 'fragment@5', '__symbols__', '__fixups__', '__local_fixups__']);
  assert.deepEqual(props(tree, '/__symbols__'), [
    ['nl', ['/fragment@0/__overlay__/child']],
    ['mine', ['/fragment@1/__overlay__/newnode']],
  ]);
});

test('a plugin gets fixups without -@, and no __symbols__', () => {
  const { tree } = compileDts(PLUGIN, 'ov.dtso', { symbols: false });
  assert.deepEqual(tree.root.nodes.map((n) => n.name), ['fragment@0', 'fragment@1', 'fragment@5', '__fixups__', '__local_fixups__']);
});

test('an unresolved &{/path} is written as dtc 1.6.1 does, with a warning that no loader can use it', () => {
  // dtkit's compile refuses such a reference earlier (as newer dtc does); the transform
  // itself still matches dtc 1.6.1 for trees that carry one
  const tree = new Tree();
  tree.plugin = true;
  const overlay = tree.root.addChild(new Node('fragment@0')).addChild(new Node('__overlay__'));
  const span = { file: 'pref.dtso', line: 3, column: 16, length: 15 };
  const value = new ValueBuilder().type('u32').marker({ kind: 'phandle-ref', offset: 0, ref: '/nonexistent', span }).u32(0xffffffff).build();
  overlay.addProperty(new Property('p', value));
  const diags = new Diagnostics();
  generateFixups(tree, diags);
  assert.deepEqual(props(tree, '/__fixups__'), [['/nonexistent', ['/fragment@0/__overlay__:p:0']]]);
  assert.deepEqual(diags.items.map((d) => [d.severity, d.message, d.span?.line, d.span?.column]), [
    ['warning', 'reference to path &{/nonexistent} cannot be fixed up by an overlay loader; only labels can', 3, 16],
  ]);
});

test('ensureOverlayNodes does nothing to a tree that already has the nodes', () => {
  const { tree } = compileDts(PLUGIN, 'ov.dtso');
  const before = JSON.stringify(props(tree, '/__fixups__'));
  const diags = new Diagnostics();
  ensureOverlayNodes(tree, diags, { symbols: true });
  assert.equal(JSON.stringify(props(tree, '/__fixups__')), before);
  assert.deepEqual(diags.items, []);
});

test('byte-identical to dtc -@ on the fixtures', (t) => {
  const skip = skipUnless({ dtc: true });
  if (skip) return t.skip(skip);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-transforms-'));
  try {
    for (const [name, text] of [['base.dts', BASE], ['ov.dtso', PLUGIN]]) {
      fs.writeFileSync(path.join(dir, name), text);
      const r = spawnSync('dtc', ['-q', '-@', '-I', 'dts', '-O', 'dtb', '-o', path.join(dir, `${name}.dtb`), path.join(dir, name)]);
      assert.equal(r.status, 0, r.stderr.toString());
      assert.equal(sameBytesOrDiff(compileDts(text, name).bytes, fs.readFileSync(path.join(dir, `${name}.dtb`))), '', name);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
