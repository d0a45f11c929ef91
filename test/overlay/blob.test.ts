// libfdt's read-write rules as the blob editor reproduces them, on hand-assembled blobs
// (independent of dtc and of dtkit's writer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FdtFormatError } from '../../src/fdt/header.js';
import { readFdt } from '../../src/fdt/reader.js';
import { Blob, BlobError, nodeNameMatches } from '../../src/overlay/apply/blob.js';
import { readU32 } from '../../src/tree/value.js';
import { handmade } from '../fdt/handmade.js';

const BEGIN = 1, END_NODE = 2, PROP = 3, END = 9;
const te = new TextEncoder();
const str = (s: string): Uint8Array => te.encode(`${s}\0`);

/** / { node { status = "okay"; a = <1>; child {}; }; } with strings "status\0a\0linux,phandle\0" */
function sample(): Uint8Array {
  return handmade({
    strings: 'status\0a\0linux,phandle\0',
    struct: [
      BEGIN, '',
      BEGIN, 'node',
      PROP, 5, 0, str('okay'),
      PROP, 4, 7, new Uint8Array([0, 0, 0, 1]),
      BEGIN, 'child', END_NODE,
      END_NODE,
      END_NODE, END,
    ],
  });
}

const names = (b: Blob, path: string): string[] => b.props(b.pathNode(path)!).map((p) => b.nameOf(p));

test('a new property goes first, before the existing ones', () => {
  const b = Blob.open(sample());
  b.setProp(b.pathNode('/node')!, 'new', str('x'));
  assert.deepEqual(names(Blob.open(b.pack()), '/node'), ['new', 'status', 'a']);
});

test('a new subnode goes after the properties, before the existing children', () => {
  const b = Blob.open(sample());
  b.addSubnode(b.pathNode('/node')!, 'first');
  const packed = Blob.open(b.pack());
  assert.deepEqual(packed.pathNode('/node')!.children.map((c) => c.name), ['first', 'child']);
  assert.deepEqual(names(packed, '/node'), ['status', 'a']);
});

test('adding an existing subnode returns it (name without unit address matches name@unit)', () => {
  const b = Blob.open(sample());
  const child = b.pathNode('/node/child')!;
  assert.equal(b.addSubnode(b.pathNode('/node')!, 'child').node, child);
  assert.equal(nodeNameMatches('serial@100', 'serial'), true);
  assert.equal(nodeNameMatches('serial@100', 'serial@1'), false);
  assert.equal(nodeNameMatches('serial', 'serial@100'), false);
});

test('growing a value in place leaves the bytes the move uncovered in its padding', () => {
  const b = Blob.open(sample());
  b.setProp(b.pathNode('/node')!, 'status', str('disabled'));
  const out = b.pack();
  const off = readU32(out, 8);
  // node header (4 + 8 for "node"), then status: tag, len, nameoff, 12 value bytes
  const value = out.subarray(off + 8 + 12 + 12, off + 8 + 12 + 12 + 12);
  // "disabled\0", then 3 stale bytes: what stood 9..11 bytes after the old value start,
  // i.e. the tail of the next property's FDT_PROP tag (00 00 00 03)
  assert.deepEqual([...value], [...te.encode('disabled'), 0, 0, 0, 3]);
  assert.equal(readU32(out, off + 8 + 16), 9);
});

test('a new name that occurs inside an existing one reuses it instead of growing the strings block', () => {
  const b = Blob.open(sample());
  const size = readU32(sample(), 32);
  b.setProp(b.pathNode('/node')!, 'phandle', new Uint8Array([0, 0, 0, 7]));
  const out = b.pack();
  assert.equal(readU32(out, 32), size);
  const p = Blob.open(out).getProp(Blob.open(out).pathNode('/node')!, 'phandle');
  assert.equal(p?.nameoff, 'status\0a\0linux,'.length);
});

test('a new name is appended to the strings block', () => {
  const b = Blob.open(sample());
  b.setProp(b.pathNode('/node')!, 'fresh', str('x'));
  const out = b.pack();
  const strings = out.subarray(readU32(out, 12), readU32(out, 12) + readU32(out, 32));
  assert.equal(Buffer.from(strings).toString('latin1'), 'status\0a\0linux,phandle\0fresh\0');
});

test('pack lays out header, reservation map, structure and strings without gaps', () => {
  const b = Blob.open(sample());
  const out = b.pack();
  assert.equal(readU32(out, 16), 40);
  assert.equal(readU32(out, 8), 56);
  assert.equal(readU32(out, 12), 56 + readU32(out, 36));
  assert.equal(readU32(out, 4), out.length);
  assert.deepEqual(out, sample(), 'an unedited dtc-ordered blob packs to itself');
});

test('phandles: phandle first, linux,phandle as a fallback, largest over the tree', () => {
  const blob = handmade({
    strings: 'phandle\0linux,phandle\0',
    struct: [BEGIN, '', BEGIN, 'a', PROP, 4, 8, new Uint8Array([0, 0, 0, 9]), END_NODE, BEGIN, 'b', PROP, 4, 0, new Uint8Array([0, 0, 0, 4]), END_NODE, END_NODE, END],
  });
  const b = Blob.open(blob);
  assert.equal(b.phandleOf(b.pathNode('/a')!), 9);
  assert.equal(b.maxPhandle(), 9);
  assert.equal(b.nodeByPhandle(4), b.pathNode('/b'));
});

test('a path that does not start with / goes through /aliases', () => {
  const blob = handmade({
    strings: 'serial0\0',
    struct: [BEGIN, '', BEGIN, 'aliases', PROP, 10, 0, str('/soc/uart'), END_NODE, BEGIN, 'soc', BEGIN, 'uart@1', END_NODE, END_NODE, END_NODE, END],
  });
  const b = Blob.open(blob);
  assert.equal(b.pathNode('serial0')?.name, 'uart@1');
  assert.equal(b.pathNode('nothere'), undefined);
});

test('a corrupt header is refused in the DTB reader\'s words (one header check for both)', () => {
  const good = sample();
  const bad = good.slice();
  bad[0] = 0;
  const truncated = good.slice(0, good.length - 8);
  for (const [bytes, message] of [
    [bad, 'bad magic 0x000dfeed at offset 0x0 (a DTB starts with 0xd00dfeed)'],
    [truncated, `truncated file: header totalsize is ${good.length} bytes, the file has only ${good.length - 8}`],
  ] as const) {
    assert.throws(() => Blob.open(bytes), (e: unknown) => e instanceof FdtFormatError && e.message === message);
    assert.deepEqual(readFdt(bytes, 'x.dtb').diagnostics.map((d) => d.message), [message]);
  }
});

test('a corrupt structure block is a BlobError naming the offset', () => {
  const good = sample();
  const bad = good.slice();
  const offStruct = new DataView(bad.buffer).getUint32(8);
  bad.set([0, 0, 0, 7], offStruct); // not a token
  assert.throws(() => Blob.open(bad), (e: unknown) => e instanceof BlobError && e.offset === offStruct && e.message === 'unknown token 0x7');
});
