import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printDts } from '../../src/dts/print.js';
import type { NodeOutline } from '../../src/fdt/reader.js';
import { readFdt, readFdtOutline } from '../../src/fdt/reader.js';
import type { Node } from '../../src/tree/model.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { latin1String } from '../../src/tree/value.js';
import { handmade, minimalStruct, MINIMAL_STRINGS, T } from './handmade.js';

const minimal = () => handmade({ struct: minimalStruct(), strings: MINIMAL_STRINGS });

function errorOf(bytes: Uint8Array): string {
  const r = readFdt(bytes, 'x.dtb');
  assert.equal(r.tree, undefined);
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.severity, 'error');
  assert.equal(d.rule, 'fdt');
  assert.equal(d.file, 'x.dtb');
  return d.message;
}

test('reads nodes, properties and values of a valid blob', () => {
  const r = readFdt(minimal(), 'x.dtb');
  assert.deepEqual(r.diagnostics, []);
  const root = r.tree!.root;
  assert.equal(root.name, '');
  assert.deepEqual(root.properties.map((p) => p.name), ['compatible']);
  assert.equal(latin1String(root.properties[0].value.bytes), 'a\0');
  const n = root.children[0];
  assert.equal(n.path, '/n@1');
  assert.equal(n.getU32('reg'), 1);
  assert.deepEqual(n.getProperty('reg')!.value.markers, []);
});

test('reads memory reservations up to the size-0 terminator and boot_cpuid_phys', () => {
  const r = readFdt(handmade({ struct: minimalStruct(), strings: MINIMAL_STRINGS, bootCpuid: 3,
    memreserves: [[0x1_0000_0000n, 0x1000n], [0x2000n, 0x10n]] }), 'x.dtb');
  assert.deepEqual(r.tree!.memreserves, [
    { address: 0x1_0000_0000n, size: 0x1000n, labels: [] },
    { address: 0x2000n, size: 0x10n, labels: [] },
  ]);
  assert.equal(r.tree!.bootCpuid, 3);
});

test('sets node.phandle from phandle, else linux,phandle; skips NOP tokens', () => {
  const r = readFdt(handmade({
    strings: 'phandle\0linux,phandle\0',
    struct: [T.BEGIN, '', T.NOP,
      T.BEGIN, 'a', T.PROP, 4, 0, new Uint8Array([0, 0, 0, 7]), T.END_NODE,
      T.BEGIN, 'b', T.PROP, 4, 8, new Uint8Array([0, 0, 0, 9]), T.NOP, T.END_NODE,
      T.BEGIN, 'c', T.PROP, 4, 0, new Uint8Array([0xff, 0xff, 0xff, 0xff]), T.END_NODE,
      T.END_NODE, T.NOP, T.END],
  }), 'x.dtb');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.tree!.root.children.map((c) => c.phandle), [7, 9, 0]);
});

test('warns about a property after subnodes and keeps reading', () => {
  const r = readFdt(handmade({
    strings: 'p\0',
    struct: [T.BEGIN, '', T.BEGIN, 'a', T.END_NODE, T.PROP, 0, 0, T.END_NODE, T.END],
  }), 'x.dtb');
  assert.ok(r.tree);
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.node, d.message]), [
    ['warning', '/', "property 'p' at offset 0x4c follows subnodes"],
  ]);
});

test('error: file shorter than the magic number', () => {
  assert.equal(errorOf(new Uint8Array([0xd0, 0x0d])), 'truncated header: file is 2 bytes, a DTB header needs 40');
});

test('error: bad magic', () => {
  const b = minimal();
  b[0] = 0x7f;
  assert.equal(errorOf(b), 'bad magic 0x7f0dfeed at offset 0x0 (a DTB starts with 0xd00dfeed)');
});

test('error: truncated header', () => {
  assert.equal(errorOf(minimal().subarray(0, 20)), 'truncated header: file is 20 bytes, a DTB header needs 40');
  assert.equal(errorOf(minimal().subarray(0, 38)), 'truncated header: file is 38 bytes, a version 17 header needs 40');
});

test('error: truncated file (totalsize beyond the end)', () => {
  assert.equal(errorOf(minimal().subarray(0, 100)), 'truncated file: header totalsize is 131 bytes, the file has only 100');
});

test('error: versions before 16 are not supported', () => {
  assert.equal(errorOf(handmade({ struct: minimalStruct(), strings: MINIMAL_STRINGS, version: 3 })),
    'unsupported DTB version 3 at offset 0x14 (versions 16 and 17 are supported)');
});

test('error: block offsets and sizes outside the blob', () => {
  const spec = { struct: minimalStruct(), strings: MINIMAL_STRINGS };
  assert.equal(errorOf(handmade({ ...spec, patch: { 8: 0x200 } })),
    'structure block offset 0x200 is outside the blob (header 40 bytes, totalsize 131)');
  assert.equal(errorOf(handmade({ ...spec, patch: { 16: 0x4 } })),
    'memory reservation block offset 0x4 is outside the blob (header 40 bytes, totalsize 131)');
  assert.equal(errorOf(handmade({ ...spec, patch: { 12: 0x84 } })),
    'strings block offset 0x84 is outside the blob (header 40 bytes, totalsize 131)');
  assert.equal(errorOf(handmade({ ...spec, patch: { 32: 16 } })),
    'strings block at 0x74 of 16 bytes extends past totalsize 131');
  assert.equal(errorOf(handmade({ ...spec, patch: { 36: 0x100 } })),
    'structure block at 0x38 of 256 bytes extends past totalsize 131');
});

test('error: truncated structure block inside FDT_PROP', () => {
  // size_dt_struct cut so that the block ends 8 bytes after the second FDT_PROP (0x58)
  assert.equal(errorOf(handmade({ struct: minimalStruct(), strings: MINIMAL_STRINGS, patch: { 36: 0x28 } })),
    'truncated structure block: FDT_PROP at offset 0x58 needs 12 bytes, only 8 remain');
});

test('error: property value longer than the structure block', () => {
  assert.equal(errorOf(handmade({ struct: [T.BEGIN, '', T.PROP, 0x1000, 0, T.END_NODE, T.END], strings: 'p\0' })),
    "truncated structure block: value of property 'p' at offset 0x4c needs 4096 bytes, only 8 remain");
});

test('error: property name offset outside the strings block', () => {
  assert.equal(errorOf(handmade({ struct: [T.BEGIN, '', T.PROP, 0, 99, T.END_NODE, T.END], strings: 'p\0' })),
    'property name offset 0x63 of FDT_PROP at offset 0x40 is outside the strings block (size 2)');
});

test('error: property name not terminated within the strings block', () => {
  assert.equal(errorOf(handmade({ struct: [T.BEGIN, '', T.PROP, 0, 0, T.END_NODE, T.END], strings: 'abc' })),
    'property name at strings offset 0x0 (FDT_PROP at offset 0x40) is not NUL-terminated within the strings block');
});

test('error: unknown token', () => {
  assert.equal(errorOf(handmade({ struct: [T.BEGIN, '', 0x17, T.END_NODE, T.END] })),
    'unknown token 0x00000017 at offset 0x40 in the structure block');
});

test('error: misaligned structure block', () => {
  const b = handmade({ struct: [0, ...minimalStruct()], strings: MINIMAL_STRINGS, patch: { 8: 0x3a } });
  assert.equal(errorOf(b), 'misaligned token at offset 0x3a in the structure block');
});

test('error: structure block not starting with FDT_BEGIN_NODE', () => {
  assert.equal(errorOf(handmade({ struct: [T.PROP, 0, 0, T.END] })),
    'structure block must start with FDT_BEGIN_NODE, found FDT_PROP at offset 0x38');
});

test('error: unterminated node name', () => {
  // the name runs to the end of the structure block (strings block is empty, file ends)
  const b = handmade({ struct: [T.BEGIN, new Uint8Array([0x61, 0x62, 0x63, 0x64])] });
  assert.equal(errorOf(b), 'unterminated node name at offset 0x3c in the structure block');
});

test('error: premature FDT_END and missing FDT_END', () => {
  assert.equal(errorOf(handmade({ struct: [T.BEGIN, '', T.BEGIN, 'a', T.END_NODE, T.END] })),
    'premature FDT_END at offset 0x4c: 1 node(s) not closed');
  assert.equal(errorOf(handmade({ struct: [T.BEGIN, '', T.END_NODE] })),
    'truncated structure block: it ends at offset 0x44 before FDT_END');
  assert.equal(errorOf(handmade({ struct: [T.BEGIN, '', T.END_NODE, T.END_NODE, T.END] })),
    'expected FDT_END after the root node, found FDT_END_NODE at offset 0x44');
});

test('never throws on truncated or corrupted input', () => {
  const good = minimal();
  // every truncation
  for (let n = 0; n <= good.length; n++) {
    const r = readFdt(good.subarray(0, n), 'x.dtb');
    assert.equal(r.tree === undefined, r.diagnostics.some((d) => d.severity === 'error'));
  }
  // deterministic pseudo-random byte corruptions
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
  for (let i = 0; i < 5000; i++) {
    const b = good.slice();
    for (let k = 0; k < 1 + (i % 4); k++) b[rnd() % b.length] = rnd() & 0xff;
    const r = readFdt(b, 'x.dtb');
    assert.ok(r.tree || r.diagnostics.length === 1);
  }
});

test('a DTB nested 10,000 levels deep is read, written back identically and printed (no recursion)', () => {
  const words: number[] = [0x1, 0];
  for (let i = 0; i < 10_000; i++) words.push(0x1, 0x6e000000);
  for (let i = 0; i <= 10_000; i++) words.push(0x2);
  words.push(0x9);
  const struct = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => struct.writeUInt32BE(w, i * 4));
  const hdr = Buffer.alloc(40);
  const offStruct = 40 + 16;
  [0xd00dfeed, offStruct + struct.length, offStruct, offStruct + struct.length, 40, 17, 16, 0, 0, struct.length].forEach((v, i) => hdr.writeUInt32BE(v, i * 4));
  const blob = Buffer.concat([hdr, Buffer.alloc(16), struct]);
  const r = readFdt(blob, 'deep.dtb');
  assert.deepEqual(r.diagnostics, []);
  let depth = 0;
  for (let n = r.tree!.root; n.children.length; n = n.children[0]) depth++;
  assert.equal(depth, 10_000);
  assert.ok(Buffer.from(writeFdt(r.tree!)).equals(blob));
  assert.ok(printDts(r.tree!).length > 10_000 * 10_000);
});

test('the outline reader (apply) reports what the full reader reports, on sound, truncated and corrupted blobs', () => {
  const outlineOf = (n: Node): NodeOutline => ({ name: n.name, nodes: n.children.map(outlineOf) });
  const same = (b: Uint8Array): void => {
    const full = readFdt(b, 'x.dtb');
    const outline = readFdtOutline(b, 'x.dtb');
    assert.deepEqual(outline.diagnostics, full.diagnostics);
    assert.deepEqual(outline.root, full.tree && outlineOf(full.tree.root));
  };
  same(handmade({ strings: 'p\0', struct: [T.BEGIN, '', T.BEGIN, 'a', T.BEGIN, 'b', T.END_NODE, T.PROP, 0, 0, T.END_NODE, T.END_NODE, T.END] }));
  const good = minimal();
  for (let n = 0; n <= good.length; n++) same(good.subarray(0, n));
  let seed = 777;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
  for (let i = 0; i < 2000; i++) {
    const b = good.slice();
    for (let k = 0; k < 1 + (i % 4); k++) b[rnd() % b.length] = rnd() & 0xff;
    same(b);
  }
});
