// One fixture per DTS language feature: dtkit's value bytes are asserted exactly, and the
// whole DTB must equal dtc's where dtc is installed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasDtc } from '../support/corpus.js';
import { compileDts, dtcDtb, dtkitDtb } from './support.js';

interface Fixture {
  name: string;
  dts: string;
  files?: Record<string, string | Uint8Array>;
  /** 'path:prop' -> value bytes as hex ('' for empty); '!path' asserts the node is absent */
  expect: Record<string, string | null>;
  symbols?: boolean;
}

const H = '/dts-v1/;\n';

const fixtures: Fixture[] = [
  { name: 'integers: dec, hex, octal, C suffixes', dts: `${H}/ { a = <10 0x1F 017 5U 6UL 7ULL 8LL 9L>; };`, expect: { '/:a': '0000000a0000001f0000000f00000005000000060000000700000008' + '00000009' } },
  { name: 'char literals with escapes', dts: `${H}/ { a = <'a' '\\n' '\\x41' '\\101' '\\''>; };`, expect: { '/:a': '000000610000000a000000410000004100000027' } },
  { name: 'strings with escapes and lists', dts: `${H}/ { s = "a\\tb\\x41\\101\\"", "x"; };`, expect: { '/:s': '610962414122007800' } },
  { name: 'byte strings spaced and packed', dts: `${H}/ { b = [00 11 aB], [0011]; };`, expect: { '/:b': '0011ab0011' } },
  { name: '/bits/ 8, 16, 64', dts: `${H}/ { a = /bits/ 8 <1 0xff>; b = /bits/ 16 <0x1234>; c = /bits/ 64 <0x100000000>; };`, expect: { '/:a': '01ff', '/:b': '1234', '/:c': '0000000100000000' } },
  { name: 'negative values sign-extend into /bits/ 8', dts: `${H}/ { a = /bits/ 8 <(-1)>; };`, expect: { '/:a': 'ff' } },
  {
    name: 'expressions: every operator and precedence',
    dts: `${H}/ { a = <(1 + 2 * 3) (10 / 3) (10 % 3) (1 << 4) (256 >> 4) (5 & 3) (5 | 3) (5 ^ 3) (~0) (!0) (-1) (2 < 3) (3 <= 2) (2 > 1) (2 >= 3) (1 == 1) (1 != 1) (1 && 0) (0 || 2) (1 ? 7 : 8) (0 ? 7 : 8)>; };`,
    expect: { '/:a': ['7', '3', '1', '10', '10', '1', '7', '6', 'ffffffff', '1', 'ffffffff', '1', '0', '1', '0', '1', '0', '0', '1', '7', '8'].map((x) => x.padStart(8, '0')).join('') },
  },
  { name: '64-bit arithmetic wraps', dts: `${H}/ { a = /bits/ 64 <(0xffffffffffffffff + 2) (1 << 63)>; };`, expect: { '/:a': '00000000000000018000000000000000' } },
  { name: 'labels in values', dts: `${H}/ { a = a0: <a1: 1 a2: 2 a3:> a4:, "x" a5:; };`, expect: { '/:a': '00000001000000027800' } },
  { name: 'phandle references allocate in reference order', dts: `${H}/ { p = <&n2 &n1 &{/n2}>; n1: n1 { }; n2: n2 { }; };`, expect: { '/:p': '000000010000000200000001', '/n2:phandle': '00000001', '/n1:phandle': '00000002' } },
  { name: 'path references outside cells', dts: `${H}/ { p = &n, "x", &{/node@1}; n: node@1 { }; };`, expect: { '/:p': Buffer.from('/node@1\0x\0/node@1\0').toString('hex') } },
  { name: 'explicit phandles are kept and skipped by allocation', dts: `${H}/ { p = <&b &a>; a: a { phandle = <1>; }; b: b { }; };`, expect: { '/:p': '0000000200000001', '/b:phandle': '00000002' } },
  { name: 'phandle = <&self> allocates a phandle', dts: `${H}/ { a: a { phandle = <&a>; }; };`, expect: { '/a:phandle': '00000001' } },
  { name: 'node and property redefinition merges in place', dts: `${H}/ { a { x = <1>; y = <2>; }; b { }; }; / { a { x = <3>; z = <4>; }; };`, expect: { '/a:x': '00000003', '/a:y': '00000002', '/a:z': '00000004' } },
  { name: '&label { } and &{/path} { } amend nodes', dts: `${H}/ { l: a { }; b { }; }; &l { x = <1>; }; &{/b} { y = <2>; };`, expect: { '/a:x': '00000001', '/b:y': '00000002' } },
  { name: 'label: &ref { } adds the label', dts: `${H}/ { a { }; }; n: &{/a} { }; / { p = <&n>; };`, expect: { '/:p': '00000001' } },
  { name: '/delete-property/ and /delete-node/ by name', dts: `${H}/ { a { x; y; }; b { }; }; / { a { /delete-property/ x; }; /delete-node/ b; };`, expect: { '/a:y': '', '/a:x': null, '!/b': null } },
  { name: '/delete-node/ &label at top level', dts: `${H}/ { l: a { }; b { }; }; /delete-node/ &l;`, expect: { '!/a': null } },
  { name: 'deleted property revived at its old place', dts: `${H}/ { a { x = <1>; y; }; }; / { a { /delete-property/ x; }; }; / { a { x = <2>; }; };`, expect: { '/a:x': '00000002' } },
  { name: '/omit-if-no-ref/ drops unreferenced nodes only', dts: `${H}/ { p = <&b>; /omit-if-no-ref/ a: a { }; /omit-if-no-ref/ b: b { }; c: c { }; }; /omit-if-no-ref/ &c;`, expect: { '!/a': null, '!/c': null, '/b:phandle': '00000001' } },
  { name: 'name property equal to the node name is dropped', dts: `${H}/ { cpu@0 { name = "cpu"; x; }; };`, expect: { '/cpu@0:name': null, '/cpu@0:x': '' } },
  { name: '/memreserve/ with labels', dts: `${H}m: /memreserve/ 0x1000 0x100;\n/memreserve/ 0x2000 0x200;\n/ { };`, expect: {} },
  { name: 'multiple /dts-v1/ headers', dts: `${H}${H}/ { a; };`, expect: { '/:a': '' } },
  { name: '/include/ resolves beside the including file', dts: `${H}/include/ "inc.dtsi"\n/ { b = <2>; };`, files: { 'inc.dtsi': '/ { a = <1>; };' }, expect: { '/:a': '00000001', '/:b': '00000002' } },
  { name: '/incbin/ whole file and a slice', dts: `${H}/ { a = /incbin/("blob.bin"); b = /incbin/("blob.bin", 1, 2); };`, files: { 'blob.bin': new Uint8Array([1, 2, 3, 4]) }, expect: { '/:a': '01020304', '/:b': '0203' } },
  { name: 'line markers from cpp output', dts: `# 1 "x.dts"\n${H}# 5 "y.dtsi" 1\n/ { a; };`, expect: { '/:a': '' } },
  { name: 'comments everywhere', dts: `${H}/* c */ / { // c\n a /* c */ = <1 /* c */ 2>; };`, expect: { '/:a': '0000000100000002' } },
  { name: 'escaped property names', dts: `${H}/ { \\#foo = <1>; a,b-c.d_e+f?g#h = <2>; };`, expect: { '/:#foo': '00000001' } },
  {
    name: 'plugin: &ref { } becomes fragments',
    dts: `${H}/plugin/;\n&l { x = <1>; };\n&{/a/b} { y; };\n/ { fragment@9 { }; };\n&m { z; };`,
    expect: { '/fragment@0:target': 'ffffffff', '/fragment@1:target-path': Buffer.from('/a/b\0').toString('hex'), '/fragment@2:target': 'ffffffff', '/fragment@0/__overlay__:x': '00000001' },
  },
  { name: 'plugin: references to labels in the overlay resolve locally', dts: `${H}/plugin/;\n&l { p = <&n &ext>; n: node { }; };`, expect: { '/fragment@0/__overlay__:p': '00000001ffffffff' } },
  { name: 'boot cpu guessed from /cpus', dts: `${H}/ { cpus { cpu@2 { reg = <2>; }; cpu@3 { reg = <3>; }; }; };`, expect: {} },
  { name: '-@ keeps labelled /omit-if-no-ref/ nodes', dts: `${H}/ { /omit-if-no-ref/ a: a { }; /omit-if-no-ref/ b { }; };`, symbols: true, expect: { '!/b': null, '/a:phandle': '00000001' } },
  { name: 'cell values truncated to /bits/ size with a warning', dts: `${H}/ { a = /bits/ 8 <0x123>; };`, expect: { '/:a': '23' } },
];

for (const f of fixtures) {
  test(f.name, () => {
    const r = compileDts(f.dts, f.files, { symbols: f.symbols });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(r.ok && r.tree);
    for (const [key, want] of Object.entries(f.expect)) {
      if (key.startsWith('!')) {
        assert.equal(r.tree.findByPath(key.slice(1)), undefined, `${key} should be gone`);
        continue;
      }
      const [path, prop] = key.split(':');
      const node = r.tree.findByPath(path);
      assert.ok(node, `node ${path}`);
      const p = node.getProperty(prop);
      if (want === null) assert.equal(p, undefined, `${key} should be absent`);
      else assert.equal(Buffer.from(p?.value.bytes ?? []).toString('hex'), want, key);
    }
  });
  test(`${f.name} (byte-identical to dtc)`, (t) => {
    if (!hasDtc()) return t.skip('dtc not installed');
    if (f.name.includes('truncated')) return t.skip('dtc 1.6.1 rejects what 1.8.1 truncates with a warning');
    const want = dtcDtb(f.dts, f.files, { symbols: f.symbols });
    assert.ok(want, 'dtc accepts the fixture');
    assert.deepEqual(dtkitDtb(f.dts, f.files, { symbols: f.symbols }), new Uint8Array(want));
  });
}
