// applyOverlays: fdt_overlay_apply's steps on small fixtures, exact results and exact
// findings; byte-identical to fdtoverlay where it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOverlays } from '../../src/overlay/apply/apply.js';
import { skipUnless } from '../support/corpus.js';
import { fdtoverlayApply, sameBytes } from './oracle.js';
import { BASE, CONFLICT, OVERLAY } from './fixtures.js';
import { childNames, compileDts, propNames, stringProp, u32Prop } from './support.js';

const base = () => compileDts(BASE, 'base.dts');
const overlay = (text = OVERLAY, file = 'ov.dtso') => compileDts(text, file);

test('properties land first and new nodes before existing children, as libfdt inserts them', () => {
  const r = applyOverlays(base().bytes, [{ bytes: overlay().bytes, file: 'ov.dtbo' }]);
  assert.deepEqual(r.diagnostics, []);
  const out = r.bytes!;
  assert.deepEqual(propNames(out, '/soc@0/serial@100'), ['pinctrl-0', 'reg', 'status', 'phandle']);
  assert.equal(stringProp(out, '/soc@0/serial@100', 'status'), 'okay');
  assert.deepEqual(childNames(out, '/soc@0'), ['added', 'serial@100', 'pinctrl@200', 'user']);
});

test('overlay phandles move above the base maximum; base labels resolve through __symbols__', () => {
  const b = base();
  const out = applyOverlays(b.bytes, [{ bytes: overlay().bytes, file: 'ov.dtbo' }]).bytes!;
  const cfg = u32Prop(out, '/soc@0/pinctrl@200/cfg-state', 'phandle')![0];
  const uart = u32Prop(out, '/soc@0/serial@100', 'phandle')![0];
  const pinctrl = u32Prop(out, '/soc@0/pinctrl@200', 'phandle')![0];
  const max = Math.max(cfg, uart, pinctrl);
  const sub = u32Prop(out, '/soc@0/serial@100/sub', 'phandle')![0];
  assert.equal(sub, max + 1);
  assert.deepEqual(u32Prop(out, '/soc@0/serial@100/sub', 'q'), [sub, uart]);
  assert.deepEqual(u32Prop(out, '/soc@0/serial@100', 'pinctrl-0'), [cfg]);
  assert.deepEqual(u32Prop(out, '/soc@0/added', 'r'), [pinctrl, 1]);
});

test("the overlay's labels are published in __symbols__ at their new paths, newest first", () => {
  const out = applyOverlays(base().bytes, [{ bytes: overlay().bytes, file: 'ov.dtbo' }]).bytes!;
  assert.deepEqual(propNames(out, '/__symbols__')!.slice(0, 3), ['mine', 'child', 'uart']);
  assert.equal(stringProp(out, '/__symbols__', 'child'), '/soc@0/serial@100/sub');
  assert.equal(stringProp(out, '/__symbols__', 'mine'), '/soc@0/added');
});

test('a label on a whole fragment gets the target path with a trailing slash, as libfdt writes it', () => {
  const ov = overlay(`/dts-v1/;\n/plugin/;\n/ { fragment@0 { target-path = "/soc@0"; whole: __overlay__ { x = <1>; }; }; };\n`);
  const out = applyOverlays(base().bytes, [{ bytes: ov.bytes, file: 'ov.dtbo' }]).bytes!;
  assert.equal(stringProp(out, '/__symbols__', 'whole'), '/soc@0/');
});

test('overlays apply in order: the second can use labels the first added', () => {
  const second = overlay(`/dts-v1/;\n/plugin/;\n&child { more = <&mine>; };\n`, 'second.dtso');
  const r = applyOverlays(base().bytes, [
    { bytes: overlay().bytes, file: 'ov.dtbo' },
    { bytes: second.bytes, file: 'second.dtbo' },
  ]);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(u32Prop(r.bytes!, '/soc@0/serial@100/sub', 'more'), u32Prop(r.bytes!, '/soc@0/added', 'phandle'));
});

test('the inputs are left untouched', () => {
  const b = base().bytes, o = overlay().bytes;
  const bCopy = b.slice(), oCopy = o.slice();
  applyOverlays(b, [{ bytes: o, file: 'ov.dtbo' }]);
  assert.deepEqual(b, bCopy);
  assert.deepEqual(o, oCopy);
});

test('byte-identical to fdtoverlay on the fixtures', (t) => {
  const skip = skipUnless({ fdtoverlay: true });
  if (skip) return t.skip(skip);
  const b = base().bytes;
  const cases = [
    [overlay().bytes],
    [overlay().bytes, overlay(`/dts-v1/;\n/plugin/;\n&child { more = <&mine>; };\n`, 'second.dtso').bytes],
    [overlay(`/dts-v1/;\n/plugin/;\n/ { fragment@0 { target-path = "serial0"; lbl: __overlay__ { x = "a longer value"; }; }; };\n`).bytes],
  ];
  for (const ovs of cases) {
    const mine = applyOverlays(b, ovs.map((bytes, i) => ({ bytes, file: `ov${i}.dtbo` })));
    assert.ok(sameBytes(mine.bytes, fdtoverlayApply(b, ovs)));
  }
});

// ---- failures: named, located, nothing produced ----

test('a base without __symbols__ is named as the problem', () => {
  const noSymbols = compileDts(BASE, 'base.dts', { symbols: false });
  const r = applyOverlays(noSymbols.bytes, [{ bytes: overlay().bytes, file: 'ov.dtbo' }], { baseFile: 'base.dtb' });
  assert.equal(r.bytes, undefined);
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.rule, 'overlay_no_symbols');
  assert.equal(d.message, 'base has no __symbols__; compile it with -@');
  assert.equal(d.file, 'base.dtb');
  assert.equal(d.notes?.[0].message, 'ov.dtbo refers to base labels uart, cfg, pinctrl');
});

test('an unknown label names the label and where the overlay uses it, in the source when compiled here', () => {
  const ov = overlay(`/dts-v1/;\n/plugin/;\n&uart {\n\tpinctrl-0 = <&cfg &cgf>;\n};\n`);
  const r = applyOverlays(base().bytes, [{ bytes: ov.bytes, file: 'ov.dtso', source: ov.tree }]);
  assert.equal(r.bytes, undefined);
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.rule, 'overlay_unknown_label');
  assert.equal(d.message, 'label "cgf" (cell at byte 4) is not defined in the base: no /__symbols__/cgf');
  assert.equal(d.node, '/fragment@0/__overlay__');
  assert.equal(d.property, 'pinctrl-0');
  assert.deepEqual([d.span?.file, d.span?.line, d.span?.column], ['ov.dtso', 4, 20]);
  assert.equal(d.notes?.[0].message, 'did you mean "cfg"?');
});

test('an unknown fragment target label points at the &label that opens the fragment', () => {
  const ov = overlay(`/dts-v1/;\n/plugin/;\n\n&nosuch { x = <1>; };\n`);
  const d = applyOverlays(base().bytes, [{ bytes: ov.bytes, file: 'ov.dtso', source: ov.tree }]).diagnostics[0];
  assert.equal(d.message, 'label "nosuch" (cell at byte 0) is not defined in the base: no /__symbols__/nosuch');
  assert.equal(d.node, '/fragment@0');
  assert.equal(d.property, 'target');
  assert.deepEqual([d.span?.line, d.span?.column], [4, 1]);
});

test('a target path missing from the base is named with the fragment', () => {
  const ov = overlay(`/dts-v1/;\n/plugin/;\n/ {\n\tfragment@3 {\n\t\ttarget-path = "/soc@0/nothere";\n\t\t__overlay__ { x = <1>; };\n\t};\n};\n`);
  const r = applyOverlays(base().bytes, [{ bytes: ov.bytes, file: 'ov.dtso', source: ov.tree }]);
  assert.equal(r.bytes, undefined);
  const d = r.diagnostics[0];
  assert.equal(d.rule, 'overlay_target_missing');
  assert.equal(d.message, 'fragment target-path "/soc@0/nothere" is not a node of the base');
  assert.equal(d.node, '/fragment@3');
  assert.deepEqual([d.span?.line, d.span?.column], [5, 3]);
});

test('a malformed __fixups__ entry is named with its text', () => {
  // a hand-written overlay (no /plugin/ sugar), as dtc's overlay_bad_fixup_* tests do
  const ov = compileDts(`/dts-v1/;\n/ {\n\tfragment@0 { target-path = "/"; __overlay__ { p = <0xffffffff>; }; };\n\t__fixups__ { uart = "/fragment@0/__overlay__:p"; };\n};\n`, 'bad.dts', { symbols: false });
  const r = applyOverlays(base().bytes, [{ bytes: ov.bytes, file: 'bad.dtbo' }]);
  assert.equal(r.bytes, undefined);
  const d = r.diagnostics[0];
  assert.equal(d.rule, 'overlay_bad_fixup');
  assert.equal(d.message, 'malformed __fixups__ property "uart": entry "/fragment@0/__overlay__:p" is not "path:property:offset"');
});

test('a fixup pointing past its property is refused', () => {
  const ov = compileDts(`/dts-v1/;\n/ {\n\tfragment@0 { target-path = "/"; __overlay__ { p = <0xffffffff>; }; };\n\t__fixups__ { uart = "/fragment@0/__overlay__:p:4"; };\n};\n`, 'bad.dts', { symbols: false });
  const d = applyOverlays(base().bytes, [{ bytes: ov.bytes, file: 'bad.dtbo' }]).diagnostics[0];
  assert.equal(d.message, '__fixups__ entry "/fragment@0/__overlay__:p:4" for label "uart" points at byte 4, past the end of the 4-byte property');
});

test('changing the phandle of an existing base node is a warning (fdtoverlay does it), an error when strict', () => {
  const ov = overlay(CONFLICT);
  const lax = applyOverlays(base().bytes, [{ bytes: ov.bytes, file: 'ov.dtso', source: ov.tree }]);
  assert.ok(lax.bytes);
  assert.equal(lax.diagnostics.length, 1);
  assert.equal(lax.diagnostics[0].severity, 'warning');
  assert.equal(lax.diagnostics[0].rule, 'overlay_phandle_conflict');
  assert.match(lax.diagnostics[0].message, /^overlay node \/fragment@0\/__overlay__\/cfg-state changes the phandle of base node \/soc@0\/pinctrl@200\/cfg-state from 0x\d+ to 0x\d+: the base's references to it now dangle/);
  assert.deepEqual([lax.diagnostics[0].span?.line, lax.diagnostics[0].span?.column], [4, 8]);
  const strict = applyOverlays(base().bytes, [{ bytes: ov.bytes, file: 'ov.dtso', source: ov.tree }], { strictPhandles: true });
  assert.equal(strict.bytes, undefined);
  assert.equal(strict.diagnostics[0].severity, 'error');
});

test('a corrupt overlay blob is reported in the DTB reader\'s words, not a libfdt code', () => {
  const bad = overlay().bytes.slice(0, 20);
  const r = applyOverlays(base().bytes, [{ bytes: bad, file: 'bad.dtbo' }]);
  assert.equal(r.bytes, undefined);
  assert.equal(r.diagnostics[0].rule, 'fdt');
  assert.equal(r.diagnostics[0].file, 'bad.dtbo');
  assert.equal(r.diagnostics[0].message, 'not a usable device tree blob: truncated header: file is 20 bytes, a DTB header needs 40');
});
