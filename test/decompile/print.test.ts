// printDts: dtc 1.6.1's DTS text. Expected strings are what `dtc -O dts` 1.6.1 prints
// for the same tree (captured from the tool; the oracle tests re-check against it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printDts } from '../../src/dts/print.js';
import { valueText } from '../../src/dts/print-value.js';
import { Node, Property, Tree } from '../../src/tree/model.js';
import { addLabel, deleteNode, deleteProperty } from '../../src/tree/ops.js';
import type { PropertyValue } from '../../src/tree/value.js';
import { latin1Bytes, ValueBuilder } from '../../src/tree/value.js';

const raw = (...bytes: number[]): PropertyValue => ({ bytes: new Uint8Array(bytes), markers: [] });
const rawText = (s: string): PropertyValue => ({ bytes: latin1Bytes(s), markers: [] });

test('guess: printable NUL-terminated bytes are a string; a list prints with \\0 as 1.6.1 does', () => {
  assert.equal(valueText(rawText('qcom,sm8550\0')), ' = "qcom,sm8550";');
  assert.equal(valueText(rawText('a,b\0c\0')), ' = "a,b\\0c";');
  // as many NULs as other bytes still counts as a string
  assert.equal(valueText(rawText('a\0b\0')), ' = "a\\0b";');
  assert.equal(valueText(rawText('ab\0\n\t\0')), ' = "ab\\0\\n\\t";');
});

test('guess: more NULs than other bytes, or a lone NUL, are not a string', () => {
  assert.equal(valueText(rawText('x\0\0y\0')), ' = [78 00 00 79 00];');
  assert.equal(valueText(raw(0)), ' = [00];');
  assert.equal(valueText(raw(0, 0)), ' = [00 00];');
  assert.equal(valueText(raw(0, 0, 0, 0)), ' = <0x00>;');
});

test('guess: cells when the length is a multiple of 4, bytes otherwise', () => {
  assert.equal(valueText(raw(0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff)), ' = <0x01 0xffffffff>;');
  assert.equal(valueText(raw(0x12, 0x34, 0x56, 0x78)), ' = <0x12345678>;');
  assert.equal(valueText(raw(1, 2, 0xab)), ' = [01 02 ab];');
  // not NUL-terminated printable text is not a string
  assert.equal(valueText(rawText('abcd')), ' = <0x61626364>;');
  // a non-printable byte makes it a non-string
  assert.equal(valueText(raw(0x80, 0x41, 0x42, 0)), ' = <0x80414200>;');
});

test('empty value prints as a bare property', () => {
  assert.equal(valueText(raw()), ';');
});

test('typed strings escape like dtc, bytes >= 0x80 sign-extended', () => {
  const v = new ValueBuilder().type('string').string('s\xff\x01"\\q\x07\x7f').build();
  assert.equal(valueText(v), ' = "s\\xffffffff\\x01\\"\\\\q\\a\\x7f";');
});

test('typed runs: cells, bytes, /bits/ 16 and 64, /bits/ 8 as bytes, commas between runs', () => {
  const v = new ValueBuilder()
    .type('u32').u32(1).u32(1).u32(2)
    .type('bytes').u8(1).u8(2)
    .type('string').string('x')
    .build();
  assert.equal(valueText(v), ' = <0x01 0x01 0x02>, [01 02], "x";');
  assert.equal(valueText(new ValueBuilder().type('u16').uint(1n, 16).uint(2n, 16).build()), ' = /bits/ 16 <0x01 0x02>;');
  assert.equal(valueText(new ValueBuilder().type('u64').uint(0x100000000n, 64).build()), ' = /bits/ 64 <0x100000000>;');
  assert.equal(valueText(new ValueBuilder().type('u8').u8(1).u8(2).build()), ' = [01 02];');
  assert.equal(valueText(new ValueBuilder().type('string').string('x').type('string').string('').type('string').string('y').build()),
    ' = "x", "", "y";');
});

test('labels inside values and a phandle reference marker, in dtc marker order', () => {
  // l2: <l3: 1 l4: 2> l5:
  const v = new ValueBuilder()
    .marker({ kind: 'label', offset: 0, name: 'l2' }).type('u32')
    .marker({ kind: 'label', offset: 0, name: 'l3' }).u32(1)
    .marker({ kind: 'label', offset: 4, name: 'l4' }).u32(2)
    .marker({ kind: 'label', offset: 8, name: 'l5' })
    .build();
  assert.equal(valueText(v), ' = l2: < l3:0x01 l4:0x02> l5:;');
  // <1 &foo 2>: the resolved phandle prints as a number after a space
  const r = new ValueBuilder().type('u32').u32(1).marker({ kind: 'phandle-ref', offset: 4, ref: 'foo' }).u32(1).u32(2).build();
  assert.equal(valueText(r), ' = <0x01 0x01 0x02>;');
});

test('path reference after other strings gets dtc 1.6.1\'s extra space', () => {
  // z = &foo, "x", &{/foo@1};
  const v = new ValueBuilder()
    .marker({ kind: 'path-ref', offset: 0, ref: 'foo' }).type('string').string('/foo@1')
    .type('string').string('x')
    .marker({ kind: 'path-ref', offset: 9, ref: '/foo@1' }).type('string').string('/foo@1')
    .build();
  assert.equal(valueText(v), ' = "/foo@1", "x",  "/foo@1";');
});

test('empty runs: closing delimiters exactly as dtc 1.6.1 prints them', () => {
  const t = (b: ValueBuilder) => valueText(b.build());
  assert.equal(t(new ValueBuilder().type('u32').u32(1).type('bytes')), ' = <0x01> [];');
  assert.equal(t(new ValueBuilder().type('bytes').type('u32').u32(1)), ' = [ <0x01>;');
  assert.equal(t(new ValueBuilder().type('u32').u32(1).type('u32')), ' = <0x01> <>;');
  assert.equal(t(new ValueBuilder().type('string').string('a').marker({ kind: 'label', offset: 2, name: 'l' }).type('u32')),
    ' = "a" l: <>;');
});

test('guess: labels off cell boundaries force bytes', () => {
  const v: PropertyValue = { bytes: new Uint8Array([0, 0, 0, 1]), markers: [{ kind: 'label', offset: 2, name: 'x' }] };
  assert.equal(valueText(v), ' = [00 00 x:00 01];');
});

test('tree: header, memreserves with labels, nested nodes, labels, deleted items skipped', () => {
  const tree = new Tree();
  tree.memreserves = [
    { address: 0x1000n, size: 0x2000n, labels: [] },
    { address: 0x10000000n, size: 0x20n, labels: ['l0'] },
  ];
  const root = tree.root;
  root.addProperty(new Property('compatible', rawText('a\0')));
  const gone = root.addProperty(new Property('gone', raw(1)));
  deleteProperty(gone);
  const foo = root.addChild(new Node('foo@1'));
  addLabel(foo.labels, 'foo');
  addLabel(foo.labels, 'bar');
  const p = foo.addProperty(new Property('reg', raw(0, 0, 0, 1)));
  addLabel(p.labels, 'r');
  foo.addChild(new Node('empty'));
  deleteNode(root.addChild(new Node('deleted')));
  assert.equal(printDts(tree), [
    '/dts-v1/;',
    '',
    '/memreserve/\t0x0000000000001000 0x0000000000002000;',
    'l0: /memreserve/\t0x0000000010000000 0x0000000000000020;',
    '/ {',
    '\tcompatible = "a";',
    '',
    '\tbar: foo: foo@1 {',
    '\t\tr: reg = <0x01>;',
    '',
    '\t\tempty {',
    '\t\t};',
    '\t};',
    '};',
    '',
  ].join('\n'));
});
