import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFdt } from '../../src/fdt/reader.js';
import { StringsBlock } from '../../src/fdt/strings.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { Node, Property, Tree } from '../../src/tree/model.js';
import { deleteNode, deleteProperty } from '../../src/tree/ops.js';
import { latin1Bytes, readU32 } from '../../src/tree/value.js';
import { skipUnless } from '../support/corpus.js';
import { handmade, minimalStruct, MINIMAL_STRINGS } from './handmade.js';

const bytesOf = (...b: number[]) => ({ bytes: new Uint8Array(b), markers: [] });

function minimalTree(): Tree {
  const tree = new Tree();
  tree.root.addProperty(new Property('compatible', { bytes: latin1Bytes('a\0'), markers: [] }));
  tree.root.addChild(new Node('n@1')).addProperty(new Property('reg', bytesOf(0, 0, 0, 1)));
  return tree;
}

test('layout: header, reservation terminator, structure and strings blocks as dtc lays them out', () => {
  assert.deepEqual(writeFdt(minimalTree()), handmade({ struct: minimalStruct(), strings: MINIMAL_STRINGS }));
});

test('strings: a name reuses the earliest stored occurrence, including as the tail of a longer name', () => {
  const s = new StringsBlock();
  assert.equal(s.intern('compatible'), 0);
  assert.equal(s.intern('reg'), 11);
  assert.equal(s.intern('linux,phandle'), 15);
  assert.equal(s.intern('phandle'), 21); // tail of linux,phandle
  assert.equal(s.intern('e'), 9); // tail of compatible, earlier than linux,phandle's
  assert.equal(s.intern(''), 10); // compatible's NUL
  assert.equal(s.intern('compatible'), 0);
  assert.equal(s.intern('ranges'), 29);
  assert.equal(s.byteLength, 36);
  const out = new Uint8Array(36);
  s.writeTo(out, 0);
  assert.equal(Buffer.from(out).toString('latin1'), 'compatible\0reg\0linux,phandle\0ranges\0');
});

test('a name stored before its longer form is not shared backwards', () => {
  const s = new StringsBlock();
  assert.equal(s.intern('phandle'), 0);
  assert.equal(s.intern('linux,phandle'), 8);
  assert.equal(s.intern('phandle'), 0);
});

test('memory reservations, spare entries and boot_cpuid_phys', () => {
  const tree = minimalTree();
  tree.memreserves = [{ address: 0x1_2345_6789n, size: 0x1000n, labels: [] }];
  tree.bootCpuid = 5;
  const b = writeFdt(tree, { reserveEntries: 2 });
  assert.equal(readU32(b, 28), 5);
  assert.equal(readU32(b, 16), 40);
  assert.equal(readU32(b, 8), 40 + 4 * 16); // entry, 2 spare, terminator
  assert.deepEqual([...b.subarray(40, 56)], [0, 0, 0, 1, 0x23, 0x45, 0x67, 0x89, 0, 0, 0, 0, 0, 0, 0x10, 0]);
  assert.ok(b.subarray(56, 104).every((x) => x === 0));
  const back = readFdt(b, 'x.dtb').tree!;
  assert.deepEqual(back.memreserves.map((r) => [r.address, r.size]), [[0x1_2345_6789n, 0x1000n]]);
  assert.equal(back.bootCpuid, 5);
});

test('deleted nodes and properties are not written', () => {
  const tree = minimalTree();
  deleteProperty(tree.root.addProperty(new Property('gone', bytesOf(1))));
  deleteNode(tree.root.addChild(new Node('gone-node')));
  assert.deepEqual(writeFdt(tree), writeFdt(minimalTree()));
});

test('padding: -p pads, -S pads to a minimum, -a aligns the total size', () => {
  const base = writeFdt(minimalTree()).length;
  assert.equal(base, 131);
  const p = writeFdt(minimalTree(), { padSize: 64 });
  assert.equal(p.length, 195);
  assert.equal(readU32(p, 4), 195);
  assert.ok(p.subarray(131).every((x) => x === 0));
  assert.equal(writeFdt(minimalTree(), { minSize: 200 }).length, 200);
  assert.equal(writeFdt(minimalTree(), { minSize: 100 }).length, 131);
  assert.equal(writeFdt(minimalTree(), { alignSize: 256 }).length, 256);
  assert.equal(writeFdt(minimalTree(), { padSize: 200, alignSize: 256 }).length, 512);
});

test('version 16: 36-byte header, no size_dt_struct, reservations still at 40', () => {
  const b = writeFdt(minimalTree(), { version: 16 });
  assert.equal(readU32(b, 20), 16);
  assert.equal(readU32(b, 16), 40);
  assert.deepEqual([...b.subarray(36, 40)], [0, 0, 0, 0]);
  assert.deepEqual(readFdt(b, 'x.dtb').diagnostics, []);
});

test('oracle: same bytes as dtc for -p, -a, -S, -R, -b and -V 16', (t) => {
  const why = skipUnless({ dtc: true });
  if (why) return t.skip(why);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-writer-'));
  try {
    const dts = path.join(dir, 'x.dts');
    fs.writeFileSync(dts, '/dts-v1/;\n/memreserve/ 0x100000000 0x2000;\n/ { compatible = "a", "b"; #address-cells = <1>; ' +
      '#size-cells = <0>; cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; reg = <0>; }; }; ' +
      'n { linux,phandle = <1>; phandle = <1>; name = "n"; x = [01 02 03]; }; };\n');
    const dtc = (...flags: string[]) => {
      const out = path.join(dir, 'x.dtb');
      execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', ...flags, '-o', out, dts], { stdio: 'ignore' });
      return new Uint8Array(fs.readFileSync(out));
    };
    const tree = readFdt(dtc(), 'x.dtb').tree!;
    assert.deepEqual(writeFdt(tree), dtc());
    assert.deepEqual(writeFdt(tree, { padSize: 100 }), dtc('-p', '100'));
    assert.deepEqual(writeFdt(tree, { alignSize: 512 }), dtc('-a', '512'));
    assert.deepEqual(writeFdt(tree, { minSize: 1000 }), dtc('-S', '1000'));
    assert.deepEqual(writeFdt(tree, { reserveEntries: 3 }), dtc('-R', '3'));
    assert.deepEqual(writeFdt(tree, { version: 16 }), dtc('-V', '16'));
    tree.bootCpuid = 7;
    assert.deepEqual(writeFdt(tree), dtc('-b', '7'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
